"""The query builders every "what is late" view shares (the channel digest, personal
digests, the App Home): an asset's row with its release and freelancer, its float in SQL,
and a section's first rows with the total riding on each row. No Slack here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from bot.domain import critical_path
from bot.domain.catalog import KINDS
from bot.domain.critical_path import StageDays
from bot.domain.stages import ACTIVE_STAGES, Stage
from bot.storage.asset_models import Asset
from bot.storage.freelancer_models import Freelancer
from bot.storage.release_models import Release

DUE_SOON_DAYS = 7
# More rows than any message can show; the views cut to Block Kit's limits.
ROWS_PER_SECTION = 100
ACTIVE = [stage.value for stage in ACTIVE_STAGES]
_PHYSICAL_KINDS = sorted(key for key, kind in KINDS.items() if kind.physical)


@dataclass(frozen=True)
class DigestItem:
    asset_id: int
    title: str
    kind: str
    stage: str
    due: date
    owner_id: str | None
    release_id: int | None
    release_catno: str | None
    release_title: str | None
    freelancer_user_id: str | None = None
    freelancer_name: str | None = None
    priority: str = "normal"
    float_days: int | None = None  # days to spare before the street date (see critical_path)


ITEM_FIELDS = tuple(f.name for f in fields(DigestItem))  # items_query's column labels


@dataclass(frozen=True)
class Section:
    items: Sequence[Any] = ()
    total: int = 0  # how many exist, shown or not


def days_from(session: Session, day: date, later: ColumnElement[Any]) -> ColumnElement[int]:
    """``later - day`` in days. PostgreSQL subtracts dates; SQLite keeps them as text."""
    if session.get_bind().dialect.name == "postgresql":
        return later - literal(day)  # type: ignore[no-any-return]
    return cast(func.round(func.julianday(later) - func.julianday(literal(day))), Integer)


def manufacturing_days(stage_days: StageDays) -> ColumnElement[int]:
    """``StageDays.manufacturing``: the asset's format, or the slowest of its release's
    (the first found, trying the slowest first; unknown keys are skipped, as in Python)."""
    default = stage_days.days[Stage.MANUFACTURING]
    plants = stage_days.manufacturing_by_format
    own = case(dict(plants), value=Asset.format, else_=default) if plants else literal(default)
    keys = literal(",") + func.coalesce(Release.formats, "") + literal(",")
    slowest = sorted(plants.items(), key=lambda item: -item[1])
    return case(
        (Asset.format.is_not(None), own),
        *((keys.contains(f",{key},", autoescape=True), days) for key, days in slowest),
        else_=default,
    )


def remaining_days(stage_days: StageDays) -> ColumnElement[int]:
    """``critical_path.remaining_days`` per asset (release joined), from its ``stage_table``."""
    known = Asset.held_from.in_([stage.value for stage in critical_path.PHYSICAL_PATH])
    resume = case((known, Asset.held_from), else_=critical_path.UNKNOWN_RESUME.value)
    current = case((Asset.stage == Stage.ON_HOLD.value, resume), else_=Asset.stage)
    physical = Asset.kind.in_(_PHYSICAL_KINDS)

    def fixed(is_physical: bool) -> ColumnElement[int]:
        table = critical_path.stage_table(stage_days, physical=is_physical)
        return case({s.value: n for s, (n, _ahead) in table.items()}, value=current, else_=0)

    def plant_ahead(is_physical: bool) -> list[str]:
        table = critical_path.stage_table(stage_days, physical=is_physical)
        return [s.value for s, (_n, ahead) in table.items() if ahead]

    # The plant's days (a long expression) appear once, not once per stage before it.
    ahead = or_(
        and_(physical, current.in_(plant_ahead(True))),
        and_(~physical, current.in_(plant_ahead(False) or ["-"])),
    )
    plant = case((ahead, manufacturing_days(stage_days)), else_=0)
    return case((physical, fixed(True)), else_=fixed(False)) + plant


def float_days(session: Session, day: date, stage_days: StageDays) -> ColumnElement[int]:
    """Days to spare before the street date (a loose asset's own due date)."""
    deadline = func.coalesce(Release.street_date, Asset.due)
    return days_from(session, day, deadline) - remaining_days(stage_days)


def items_query(float_: ColumnElement[Any], *where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(
            Asset.id.label("asset_id"),
            Asset.title,
            Asset.kind,
            Asset.stage,
            Asset.due,
            Asset.owner_id,
            Asset.priority,
            Asset.release_id,
            Release.catno.label("release_catno"),
            Release.title.label("release_title"),
        )
        .outerjoin(Release, Release.id == Asset.release_id)
        .outerjoin(Freelancer, Freelancer.id == Asset.freelancer_id)
        .add_columns(
            Freelancer.slack_user_id.label("freelancer_user_id"),
            Freelancer.name.label("freelancer_name"),
            float_.label("float_days"),
        )
        .where(Asset.stage.in_(ACTIVE), *where)
    )


def digest_item(row: Any) -> DigestItem:
    return DigestItem(**{name: getattr(row, name) for name in ITEM_FIELDS})


def found(rows: Sequence[Any], make: Callable[[Any], Any]) -> Section:
    """The fetched rows as a section; each row carries the total."""
    return Section(items=tuple(make(row) for row in rows), total=rows[0].total if rows else 0)


def first_rows(session: Session, query: Select[Any], limit: int) -> Section:
    """The first ``limit`` rows and the total, in one query (the total rides on each row)."""
    rows = session.execute(query.add_columns(func.count().over().label("total")).limit(limit))
    return found(rows.all(), digest_item)


def due_soon_window(day: date) -> ColumnElement[bool]:
    return Asset.due.between(day, day + timedelta(days=DUE_SOON_DAYS))
