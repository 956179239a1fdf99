"""Slash commands already run, by Slack's trigger id, so a replayed request runs once.

Bolt refuses a request signed more than five minutes ago, so a row is only needed for
that long; the housekeeping job deletes older ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class SeenRequest(Base):
    __tablename__ = "seen_requests"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)
