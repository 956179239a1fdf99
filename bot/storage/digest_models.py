"""ORM models of the digest feature (registered with Base.metadata on import).

A ``DigestClaim`` is the database's word on who posts one digest: it is unique on
(schedule, local date) for a channel's digest and on (user, local date) for a personal one,
so however many processes sweep at the same minute, one row exists and one of them owns it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base

DAYS = ("daily", "weekdays")


class DigestSchedule(Base):
    """One per channel; ``enabled`` is cleared by `/digest off` so past claims keep their row."""

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


class DigestClaim(Base):
    """Who posts one day's digest, and whether it went out.

    States, by column: claimed (``lease_until`` in the future, nothing sent), sending
    (``sending_at`` set: chat.postMessage may be under way), posted (``posted_at`` and
    ``message_ts``), released after a definite failure (``claimed_by`` empty, ``lease_until``
    the earliest retry). A claim whose lease ran out before anything was sent may be taken
    over; one left in ``sending`` is never posted again automatically (see
    ``bot.scheduler.sweep``).
    """

    __tablename__ = "digest_claims"
    __table_args__ = (
        UniqueConstraint("schedule_id", "local_date"),
        UniqueConstraint("user_id", "local_date"),
        CheckConstraint("(schedule_id IS NULL) <> (user_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("digest_schedules.id", ondelete="CASCADE")
    )
    user_id: Mapped[str | None] = mapped_column(String(32))
    local_date: Mapped[date] = mapped_column(Date)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column()
    lease_until: Mapped[datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    sending_at: Mapped[datetime | None] = mapped_column()
    posted_at: Mapped[datetime | None] = mapped_column()
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(300))


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
