"""Claims: the database decides which process posts a day's digest, exactly once. No Slack here.

A claim row is unique on (schedule, local date) — or (user, local date) for a personal
digest — and is inserted with ``ON CONFLICT DO NOTHING``: of any number of processes
sweeping at once, one inserts it and the others insert nothing. The winner then

1. marks the claim *sending* (a conditional update that only the current holder passes),
2. calls chat.postMessage,
3. marks it *posted* with the message ts — or *releases* it after a definite failure
   (Slack answered with an error: nothing was posted), so a later sweep tries again.

A holder that dies before step 1 leaves a claim whose lease runs out; the next sweep takes it
over with a conditional update (``… WHERE posted_at IS NULL AND sending_at IS NULL AND
lease_until <= now``), so it is still posted once. A claim left in *sending* (the process died
mid-call, or the connection dropped after the request went out) may or may not have
reached Slack, and is never posted again automatically: Slack has no idempotency key for
chat.postMessage, so a retry could post the day twice. Such claims are reported as
uncertain; ``python -m bot digest --channel C --force`` posts one on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.db import Database
from bot.storage.digest_models import DigestClaim, DigestExtraPost

DEFAULT_LEASE = timedelta(minutes=5)
# After a definite failure, wait this long times the attempts so far (capped) before retrying.
RETRY_STEP = timedelta(minutes=1)
RETRY_CAP = timedelta(minutes=15)
MAX_ERROR = 300


@dataclass(frozen=True)
class Target:
    """What a claim is for: a channel's schedule, or one person's personal digest."""

    schedule_id: int | None = None
    user_id: str | None = None

    def __post_init__(self) -> None:
        if (self.schedule_id is None) == (self.user_id is None):
            raise ValueError("a claim is for a schedule or for a user")

    @property
    def key(self) -> tuple[str, Any]:
        if self.schedule_id is not None:
            return "schedule_id", self.schedule_id
        return "user_id", self.user_id


@dataclass(frozen=True)
class Claim:
    id: int
    target: Target
    local_date: date
    worker: str
    attempts: int


def _where(target: Target, local_date: date) -> list[Any]:
    column, value = target.key
    return [getattr(DigestClaim, column) == value, DigestClaim.local_date == local_date]


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(DigestClaim)


def claim(
    db: Database, *, target: Target, local_date: date, worker: str, now: datetime, lease: timedelta
) -> Claim | None:
    """Win the day's claim, or take over one whose holder never started posting.

    None when another process holds it, it is being sent, it was posted, or it was released
    and its retry time has not come.
    """
    column, value = target.key
    fresh = {"claimed_by": worker, "claimed_at": now, "lease_until": now + lease}
    with db.write() as session:
        inserted = session.execute(
            _insert(session)
            .values({column: value, "local_date": local_date, "attempts": 1, **fresh})
            .on_conflict_do_nothing(index_elements=[column, "local_date"])
            .returning(DigestClaim.id)
        ).scalar_one_or_none()
        if inserted is not None:
            return Claim(inserted, target, local_date, worker, 1)
        # On PostgreSQL a concurrent taker blocks on the row here and then re-checks the
        # WHERE against the committed row, so only one of them matches.
        taken = session.execute(
            update(DigestClaim)
            .where(
                *_where(target, local_date),
                DigestClaim.posted_at.is_(None),
                DigestClaim.sending_at.is_(None),
                DigestClaim.lease_until <= now,
            )
            .values(attempts=DigestClaim.attempts + 1, **fresh)
            .returning(DigestClaim.id, DigestClaim.attempts),
            execution_options={"synchronize_session": False},
        ).one_or_none()
    if taken is None:
        return None
    return Claim(taken.id, target, local_date, worker, taken.attempts)


def _update(db: Database, claim_id: int, *where: Any, **values: Any) -> bool:
    with db.write() as session:
        result = session.execute(
            update(DigestClaim).where(DigestClaim.id == claim_id, *where).values(**values),
            execution_options={"synchronize_session": False},
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sending(db: Database, held: Claim, *, channel_id: str, now: datetime) -> bool:
    """The point of no return: False when the claim is no longer ours (do not post)."""
    return _update(
        db,
        held.id,
        DigestClaim.claimed_by == held.worker,
        DigestClaim.posted_at.is_(None),
        DigestClaim.sending_at.is_(None),
        sending_at=now,
        channel_id=channel_id,
    )


def mark_posted(db: Database, held: Claim, *, channel_id: str, ts: str, now: datetime) -> None:
    _update(db, held.id, posted_at=now, channel_id=channel_id, message_ts=ts, last_error=None)


def release(db: Database, held: Claim, *, error: str, now: datetime) -> datetime:
    """Slack definitely did not post: free the claim for a retry after a back-off."""
    retry_at = now + min(RETRY_STEP * held.attempts, RETRY_CAP)
    _update(
        db,
        held.id,
        DigestClaim.posted_at.is_(None),
        claimed_by=None,
        sending_at=None,
        lease_until=retry_at,
        last_error=error[:MAX_ERROR],
    )
    return retry_at


def mark_uncertain(db: Database, held: Claim, *, error: str) -> None:
    """Slack may have posted: keep the claim in *sending* so it is never posted again."""
    _update(db, held.id, last_error=f"uncertain: {error}"[:MAX_ERROR])


def unavailable(
    session: Session, *, dates: set[date], now: datetime
) -> set[tuple[int | None, str | None, date]]:
    """(schedule_id, user_id, local_date) of claims no sweep can act on right now.

    One query, so a sweep with nothing to do costs two round trips whatever the schedules.
    """
    if not dates:
        return set()
    rows = session.execute(
        select(DigestClaim.schedule_id, DigestClaim.user_id, DigestClaim.local_date).where(
            DigestClaim.local_date.in_(dates),
            or_(
                DigestClaim.posted_at.is_not(None),
                DigestClaim.sending_at.is_not(None),
                DigestClaim.lease_until > now,
            ),
        )
    )
    return {(row.schedule_id, row.user_id, row.local_date) for row in rows}


def uncertain(
    session: Session, *, now: datetime, lease: timedelta, since: date
) -> list[DigestClaim]:
    """Claims of ``since`` or later stuck in *sending*: Slack may or may not have the message."""
    query = select(DigestClaim).where(
        DigestClaim.local_date >= since,
        DigestClaim.posted_at.is_(None),
        DigestClaim.sending_at.is_not(None),
        or_(DigestClaim.sending_at < now - lease, DigestClaim.last_error.like("uncertain:%")),
    )
    return list(session.scalars(query.order_by(DigestClaim.local_date, DigestClaim.id)))


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
