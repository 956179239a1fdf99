"""ORM models of the digest feature (registered with Base.metadata on import).

Which digest went out is the outbox's to say: each one is an outbox row keyed by its
schedule (or person) and local date (``bot.digests.delivery``).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    Time,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base

DAYS = ("daily", "weekdays")


class DigestSchedule(Base):
    """One per channel; ``enabled`` is cleared by `/digest off` so past digests keep their key."""

    __tablename__ = "digest_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), unique=True)
    local_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    days: Mapped[str] = mapped_column(String(10))  # one of DAYS
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column()


class DigestSubscriber(Base):
    """A person who asked for a personal digest by DM (`/digest me on`)."""

    __tablename__ = "digest_subscribers"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column()


class DigestExtraPost(Base):
    """A digest posted on purpose besides the scheduled one: `/digest now` or `digest --force`."""

    __tablename__ = "digest_extra_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), index=True)
    local_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(10))  # "now" or "forced"
    requested_by: Mapped[str] = mapped_column(String(32))  # a user id, or "cli"
    requested_at: Mapped[datetime] = mapped_column()
    message_ts: Mapped[str | None] = mapped_column(String(32))
