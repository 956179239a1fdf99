"""Recording a request the first time it is seen; one statement, race-free on both backends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.replay_models import SeenRequest


def first_sighting(session: Session, key: str, *, now: datetime) -> bool:
    """Insert ``key``; False when it was there already (another replica may have just won)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.execute(
        dialect.insert(SeenRequest)
        .values(key=key, seen_at=now)
        .on_conflict_do_nothing()
        .returning(SeenRequest.key)
    )
    return inserted.scalar() is not None


def forget_before(session: Session, cutoff: datetime) -> int:
    removed = session.execute(delete(SeenRequest).where(SeenRequest.seen_at < cutoff))
    return removed.rowcount  # type: ignore[attr-defined]
