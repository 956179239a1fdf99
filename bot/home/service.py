"""Who has opened Sleeve's Home: only their tabs are redrawn after a change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.home_models import HomeTab


def opened(session: Session, *, user_id: str, now: datetime) -> None:
    """Record that ``user_id`` opened their Home (an upsert: two replicas may both see it)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(HomeTab).values(user_id=user_id, opened_at=now)
    session.execute(
        insert.on_conflict_do_update(index_elements=["user_id"], set_={"opened_at": now})
    )
