"""Conditions of an approval "with changes": each line of the approver's note becomes a
numbered condition on the asset, open until its owner ticks it off. Open conditions do not
block later stages; they are listed wherever the asset is. No Slack here."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.assets.service import get_asset, label
from bot.core.errors import ValidationError
from bot.domain.actors import Actor, require_owner_or_coordinator
from bot.storage import audit
from bot.storage.approval_models import ApprovalRequest
from bot.storage.condition_models import Condition

MAX_CONDITIONS = 10  # a note of more lines is one condition a line up to here, the rest joined
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s*")


def split_note(note: str) -> list[str]:
    """``- logo bigger\\n2. fix the spine`` -> ["logo bigger", "fix the spine"]."""
    lines = [_BULLET.sub("", line).strip() for line in note.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_CONDITIONS:
        lines = [*lines[: MAX_CONDITIONS - 1], "; ".join(lines[MAX_CONDITIONS - 1 :])]
    return lines or [note.strip()]


def add_conditions(
    session: Session, *, request: ApprovalRequest, dept_key: str, note: str, by: str, now: datetime
) -> list[Condition]:
    last = session.scalar(
        select(func.max(Condition.number)).where(Condition.asset_id == request.asset_id)
    )
    added = [
        Condition(
            asset_id=request.asset_id,
            number=(last or 0) + n,
            request_id=request.id,
            department_key=dept_key,
            text=text,
            created_by=by,
            created_at=now,
        )
        for n, text in enumerate(split_note(note), start=1)
    ]
    session.add_all(added)
    session.flush()
    session.expire(request.asset, ["open_conditions"])  # the card drawn next shows them
    return added


def open_conditions(session: Session, asset_id: int) -> list[Condition]:
    return list(
        session.scalars(
            select(Condition)
            .where(Condition.asset_id == asset_id, Condition.done_at.is_(None))
            .order_by(Condition.number)
        )
    )


def tick_off(
    session: Session, *, actor: Actor, asset_id: int, numbers: list[int], now: datetime
) -> list[Condition]:
    asset = get_asset(session, asset_id, for_update=True)
    require_owner_or_coordinator(actor, asset.owner_id, "tick off conditions of", label(asset))
    found = {c.number: c for c in open_conditions(session, asset.id)}
    missing = [n for n in numbers if n not in found]
    if missing:
        left = ", ".join(str(n) for n in found) or "none"
        raise ValidationError(
            f"{label(asset)} has no open condition {missing[0]}; open ones: {left}."
        )
    ticked = [found[n] for n in dict.fromkeys(numbers)]
    for condition in ticked:
        condition.done_at, condition.done_by = now, actor.user_id
    session.flush()
    session.expire(asset, ["open_conditions"])
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="asset",
        entity_id=label(asset),
        action="conditions",
        after={"done": [c.number for c in ticked]},
    )
    return ticked
