"""ORM model of the calendar feeds: one private feed URL per person (`/digest calendar`).

The URL's secret is never stored: only its SHA-256 (looked up when a calendar app asks for
the feed) and the nonce it was derived from with a key the database does not hold
(``bot.calendars.service``), so a copy of the database gives no one a working URL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class CalendarFeed(Base):
    """A person's feed; `/digest calendar reset` rotates it in place (new nonce, new hash),
    so the old URL stops working at once."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), unique=True)
    nonce: Mapped[str] = mapped_column(String(32))  # hex; useless without the server's key
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret
    created_at: Mapped[datetime] = mapped_column()
    # When the current secret was issued: created_at, or the last reset.
    issued_at: Mapped[datetime] = mapped_column()
