"""The outbox: Slack messages owed after an acknowledged change, kept until they are sent.

Work after the ack runs in the process that took the request; if that process dies (a
deploy, SIGKILL, a crash) the row is still here, and any replica's sweep sends it.
A row with a ``key`` (a digest: schedule or person, and local date) exists at most once,
however many processes try to save it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Where to tell the user when Slack refuses (a response_url, valid for 30 minutes).
    response_url: Mapped[str | None] = mapped_column(String(500))
    done_items: Mapped[int] = mapped_column(Integer, default=0)
    posted: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # item index -> ts
    claimed_at: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # After a failure that may pass, not before this (a growing back-off).
    retry_at: Mapped[datetime | None] = mapped_column()
    # Set while a message that must never go twice is on its way; left set when Slack's
    # answer was lost, so the row is never sent again on its own.
    sending_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboxRedraw(Base):
    """The newest outbox row that redraws a message (``channel:ts``): older redraws of it,
    still unsent, are skipped."""

    __tablename__ = "outbox_redraws"

    message: Mapped[str] = mapped_column(String(80), primary_key=True)
    entry_id: Mapped[int] = mapped_column(Integer)
