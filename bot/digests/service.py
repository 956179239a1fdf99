"""Digest schedules and personal subscriptions, and when a digest is due. No Slack here.

A schedule is (channel, local time, IANA time zone, days). It is due on a local day once the
local wall-clock time has reached its time: a 09:00 Europe/London digest fires at 09:00 GMT
in winter and 09:00 BST in summer, and on a day whose 01:30 does not exist (the spring
change) a 01:30 schedule fires at 02:00, the first minute after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.domain.actors import Actor, require_coordinator
from bot.storage.digest_models import DAYS, DigestExtraPost, DigestSchedule, DigestSubscriber

WEEKDAYS = "weekdays"
DAILY = "daily"
# Personal digests go out on working days at this time in the workspace time zone.
PERSONAL_TIME = time(9, 0)
PERSONAL_DAYS = WEEKDAYS


@cache
def _zones() -> dict[str, str]:
    # The IANA names this machine knows, by lower case: "europe/london" is understood too.
    return {name.lower(): name for name in available_timezones() if name.lower() != "factory"}


def parse_timezone(text: str) -> str:
    """An IANA zone name; only names from the zone list reach ZoneInfo (no file paths)."""
    name = _zones().get(text.strip().lower())
    if name is None:
        raise ValidationError(
            f"`tz:` should be an IANA time zone like Europe/London or America/New_York "
            f"(got {echo(text)})."
        )
    return name


def parse_days(text: str) -> str:
    value = text.strip().lower()
    if value in DAYS:
        return value
    raise ValidationError(f"`days:` is weekdays or daily (got {echo(text)}).")


def runs_on(days: str, day: date) -> bool:
    return days == DAILY or day.weekday() < 5


def local_now(now: datetime, tz_name: str) -> datetime:
    return now.astimezone(ZoneInfo(tz_name))


def is_due(at: time, tz_name: str, days: str, now: datetime) -> date | None:
    """The local date whose digest is due at ``now``, or None (not a run day, or too early)."""
    day = local_now(now, tz_name).date()
    if not runs_on(days, day):
        return None
    return day if now >= due_instant(at, tz_name, day) else None


def due_instant(at: time, tz_name: str, day: date) -> datetime:
    """The first instant (in UTC) of local ``day`` whose wall-clock time has reached ``at``."""
    tz = ZoneInfo(tz_name)
    wall = datetime.combine(day, at, tzinfo=tz)
    utc = min(wall.replace(fold=0).astimezone(UTC), wall.replace(fold=1).astimezone(UTC))
    # A wall time lost to the spring change: the first minute after the gap, as is_due sees it.
    while utc.astimezone(tz).replace(tzinfo=None) < wall.replace(tzinfo=None):
        utc += timedelta(minutes=1)
    return utc


def next_run(schedule: DigestSchedule, now: datetime) -> datetime:
    """The next local time this schedule posts (today's if it has not passed)."""
    day = local_now(now, schedule.timezone).date()
    for offset in range(8):
        candidate = day + timedelta(days=offset)
        if runs_on(schedule.days, candidate):
            instant = due_instant(schedule.local_time, schedule.timezone, candidate)
            if instant > now:
                return instant.astimezone(ZoneInfo(schedule.timezone))
    raise AssertionError("every week has a run day")


@dataclass(frozen=True)
class ScheduleSpec:
    channel_id: str
    at: time | None  # None keeps the current time (there is none for a new schedule)
    timezone: str | None  # None keeps the current zone, or the workspace's for a new one
    days: str | None  # None keeps the current days, or daily for a new one


def get_schedule(session: Session, channel_id: str) -> DigestSchedule | None:
    return session.scalar(select(DigestSchedule).where(DigestSchedule.channel_id == channel_id))


def set_schedule(
    session: Session, *, actor: Actor, spec: ScheduleSpec, default_tz: str, now: datetime
) -> tuple[DigestSchedule, bool]:
    """Create or update the channel's schedule; returns it and whether it is new."""
    require_coordinator(actor, "schedule digests")
    schedule = session.scalar(
        select(DigestSchedule).where(DigestSchedule.channel_id == spec.channel_id).with_for_update()
    )
    created = schedule is None
    if schedule is None:
        if spec.at is None:
            raise ValidationError("A new digest needs a time, e.g. `/digest schedule 09:00`.")
        schedule = DigestSchedule(
            channel_id=spec.channel_id,
            local_time=spec.at,
            timezone=spec.timezone or default_tz,
            days=spec.days or DAILY,
            enabled=True,
            created_by=actor.user_id,
            created_at=now,
            updated_by=actor.user_id,
            updated_at=now,
        )
        session.add(schedule)
    else:
        schedule.local_time = spec.at or schedule.local_time
        schedule.timezone = spec.timezone or schedule.timezone
        schedule.days = spec.days or schedule.days
        schedule.enabled = True
        schedule.updated_by, schedule.updated_at = actor.user_id, now
    try:
        session.flush()
    except IntegrityError:
        # Another coordinator created this channel's schedule in the same instant.
        raise ConflictError(
            f"<#{spec.channel_id}> was just given a digest by someone else; run the command "
            "again to change it."
        ) from None
    return schedule, created


def turn_off(session: Session, *, actor: Actor, channel_id: str, now: datetime) -> DigestSchedule:
    require_coordinator(actor, "turn digests off")
    schedule = get_schedule(session, channel_id)
    if schedule is None or not schedule.enabled:
        raise NotFoundError(
            f"<#{channel_id}> has no digest scheduled. `/digest schedule 09:00` starts one."
        )
    schedule.enabled = False
    schedule.updated_by, schedule.updated_at = actor.user_id, now
    return schedule


def enabled_schedules(session: Session, channel_id: str | None = None) -> list[DigestSchedule]:
    query = select(DigestSchedule).where(DigestSchedule.enabled.is_(True))
    if channel_id is not None:
        query = query.where(DigestSchedule.channel_id == channel_id)
    return list(session.scalars(query.order_by(DigestSchedule.id)))


def set_personal(session: Session, *, user_id: str, on: bool, now: datetime) -> None:
    """`/digest me on|off`: anyone may, for themselves only."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(DigestSubscriber)
        .values(user_id=user_id, enabled=on, updated_at=now)
        # An upsert, so a double click can't collide with itself.
        .on_conflict_do_update(index_elements=["user_id"], set_={"enabled": on, "updated_at": now})
    )


def subscribers(session: Session) -> list[str]:
    query = select(DigestSubscriber.user_id).where(DigestSubscriber.enabled.is_(True))
    return list(session.scalars(query.order_by(DigestSubscriber.user_id)))


def personal_due(workspace_tz: str, now: datetime) -> date | None:
    """The local date whose personal digests are due at ``now``, or None."""
    return is_due(PERSONAL_TIME, workspace_tz, PERSONAL_DAYS, now)


def record_extra(
    session: Session,
    *,
    channel_id: str,
    local_date: date,
    reason: str,
    requested_by: str,
    now: datetime,
) -> DigestExtraPost:
    """A deliberate post besides the scheduled one (`/digest now`, `digest --force`)."""
    post = DigestExtraPost(
        channel_id=channel_id,
        local_date=local_date,
        reason=reason,
        requested_by=requested_by,
        requested_at=now,
    )
    session.add(post)
    session.flush()
    return post


def record_extra_ts(session: Session, post_id: int, channel_id: str, ts: str) -> None:
    """Store the ts of a posted extra digest (also the outbox recorder of `/digest now`)."""
    post = session.get(DigestExtraPost, post_id)
    if post is not None:
        post.message_ts = ts
