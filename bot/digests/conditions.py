"""Open conditions ("approved with changes") in their owners' personal digests: what was
approved on the understanding that something still gets done. One query for everyone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.digests.queries import ROWS_PER_SECTION, Section, found
from bot.domain.stages import TERMINAL_STAGES
from bot.storage.asset_models import Asset
from bot.storage.condition_models import Condition


@dataclass(frozen=True)
class OpenCondition:
    asset_id: int
    asset_title: str
    number: int
    text: str


def open_conditions(
    session: Session, user_ids: Sequence[str], *, limit: int = ROWS_PER_SECTION
) -> dict[str, Section]:
    """Each owner's open conditions on assets still in work, by asset then number."""
    if not user_ids:
        return {}
    ranked = (
        select(
            Asset.owner_id.label("person"),
            Asset.id.label("asset_id"),
            Asset.title.label("asset_title"),
            Condition.number,
            Condition.text,
            func.row_number()
            .over(partition_by=Asset.owner_id, order_by=(Asset.id, Condition.number))
            .label("position"),
            func.count().over(partition_by=Asset.owner_id).label("total"),
        )
        .join(Asset, Asset.id == Condition.asset_id)
        .where(
            Condition.done_at.is_(None),
            Asset.owner_id.in_(list(user_ids)),
            Asset.stage.not_in([stage.value for stage in TERMINAL_STAGES]),
        )
        .subquery("ranked")
    )
    rows = session.execute(
        select(ranked)
        .where(ranked.c.position <= limit)
        .order_by(ranked.c.person, ranked.c.position)
    ).all()
    per_person: dict[str, list[Any]] = {}
    for row in rows:
        per_person.setdefault(row.person, []).append(row)
    return {person: found(found_rows, _condition) for person, found_rows in per_person.items()}


def _condition(row: Any) -> OpenCondition:
    return OpenCondition(row.asset_id, row.asset_title, row.number, row.text)
