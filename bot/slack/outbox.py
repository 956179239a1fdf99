"""Claiming and recording outbox deliveries; the database decides who sends a row.

A row is claimed by a conditional update (unsent, and unclaimed or its lease expired), so
two replicas never send it at once. The process that saved a row claims it right after the
ack; the sweep leaves an unclaimed row alone for a grace period, and a claimed one until
its lease expires (renewed after each message sent). Progress is saved after each message,
so a retry resumes after the last one sent; only a crash between a send and its record can
repeat a message, which is the narrowest window the Web API (no idempotency keys) allows —
except for a message marked ``once`` (a digest): it is marked *sending* before the call, and a
row left sending (the answer was lost, or the process died mid-call) is never sent again on
its own; ``uncertain`` lists such rows for someone to check.

A failure that may pass gives the row back with a growing back-off; a row older than a day
is stale and no longer tried. A row saved with a ``key`` exists once: saving it again, from
any process, saves nothing.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.outbox_models import OutboxEntry, OutboxRedraw

LEASE = timedelta(seconds=60)  # longer than one message's send with every retry
GRACE = timedelta(seconds=10)  # the process that took the request goes first
RETRY_STEP = GRACE  # after the n-th failed attempt, wait n steps (capped)
RETRY_CAP = timedelta(minutes=15)
MAX_AGE = timedelta(days=1)  # a message this old is stale: it is no longer tried
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    session: Session,
    *,
    items: list[dict[str, Any]],
    response_url: str | None,
    now: datetime,
    claimed: bool = False,
    key: str | None = None,
) -> int | None:
    """Save a row. Unclaimed, the process that saved it claims it right after the ack;
    ``claimed``, it is this process's already (it sends as soon as the transaction commits).
    With a ``key`` that is saved already, nothing is saved and the answer is None."""
    values: dict[str, Any] = {
        "key": key,
        "created_at": now,
        "items": items,
        "response_url": response_url,
        "done_items": 0,
        "posted": {},
        "attempts": 1 if claimed else 0,
        "claimed_at": now if claimed else None,
        "claimed_by": WORKER if claimed else None,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    if key is None:
        entry = OutboxEntry(**values)
        session.add(entry)
        session.flush()
        entry_id: int | None = entry.id
    else:
        entry_id = session.execute(
            dialect.insert(OutboxEntry)
            .values(values)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxEntry.id)
        ).scalar_one_or_none()
    if entry_id is not None:
        for message in {redraw_of(item) for item in items} - {None}:
            # Only ever forward: the newest row's redraw is the one to send.
            upsert = dialect.insert(OutboxRedraw).values(message=message, entry_id=entry_id)
            session.execute(
                upsert.on_conflict_do_update(
                    index_elements=["message"],
                    set_={"entry_id": upsert.excluded.entry_id},
                    where=OutboxRedraw.entry_id < upsert.excluded.entry_id,
                )
            )
    return entry_id


def redraw_of(item: dict[str, Any]) -> str | None:
    """The message a saved item redraws (``channel:ts``, or ``home:<user>`` for an App
    Home), if it is a redraw."""
    if item.get("kind") == "update" and item.get("redraw"):
        return f"{item['channel']}:{item['ts']}"[:80]
    if item.get("kind") == "publish":
        return f"home:{item['user']}"[:80]
    return None


def redrawn_later(session: Session, message: str, entry_id: int) -> bool:
    """Whether a row saved after ``entry_id`` redraws ``message`` too."""
    newest = session.scalar(select(OutboxRedraw.entry_id).where(OutboxRedraw.message == message))
    return newest is not None and newest > entry_id


def _takeable(now: datetime) -> list[Any]:
    """Unsent, not in doubt, fresh, past its back-off, and unclaimed or its lease expired."""
    return [
        OutboxEntry.sent_at.is_(None),
        OutboxEntry.sending_at.is_(None),
        OutboxEntry.created_at > now - MAX_AGE,
        OutboxEntry.retry_at.is_(None) | (OutboxEntry.retry_at <= now),
        OutboxEntry.claimed_at.is_(None) | (OutboxEntry.claimed_at < now - LEASE),
    ]


def claim(session: Session, entry_id: int, *, now: datetime) -> OutboxEntry | None:
    won = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, *_takeable(now))
        .values(claimed_at=now, claimed_by=WORKER, attempts=OutboxEntry.attempts + 1)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(OutboxEntry, entry_id, populate_existing=True)


def still_held(session: Session, entry_id: int, *, now: datetime) -> bool:
    """Renew the claim ``enqueue(claimed=True)`` took, unless its lease ran out or the row
    was taken over (a takeover counts another attempt) or sent meanwhile."""
    renewed = session.execute(
        update(OutboxEntry)
        .where(
            OutboxEntry.id == entry_id,
            OutboxEntry.sent_at.is_(None),
            OutboxEntry.attempts == 1,
            OutboxEntry.claimed_by == WORKER,
            OutboxEntry.claimed_at >= now - LEASE,
        )
        .values(claimed_at=now)
    )
    return renewed.rowcount == 1  # type: ignore[attr-defined]


def record_progress(
    session: Session, entry_id: int, *, done_items: int, posted: dict[str, str], now: datetime
) -> None:
    """Record a sent message and renew the claim: the lease covers one message, not all."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(done_items=done_items, posted=dict(posted), claimed_at=now, sending_at=None)
    )


def mark_sending(session: Session, entry_id: int, *, now: datetime) -> bool:
    """The point of no return for a ``once`` message: False when the row is no longer this
    process's (its lease ran out and another took it over), and then nothing is sent."""
    marked = session.execute(
        update(OutboxEntry)
        .where(
            OutboxEntry.id == entry_id,
            OutboxEntry.sent_at.is_(None),
            OutboxEntry.sending_at.is_(None),
            OutboxEntry.claimed_by == WORKER,
            OutboxEntry.claimed_at >= now - LEASE,
        )
        .values(sending_at=now, claimed_at=now)
    )
    return marked.rowcount == 1  # type: ignore[attr-defined]


def mark_uncertain(session: Session, entry_id: int, *, error: str) -> None:
    """Slack may have the ``once`` message: leave the row *sending*, never sent again."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(claimed_at=None, claimed_by=None, last_error=f"uncertain: {error}"[:2000])
    )


def finish(
    session: Session, entry_id: int, *, now: datetime, done_items: int, posted: dict[str, str]
) -> None:
    """Record the last message and mark the row sent, in one statement."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(sent_at=now, done_items=done_items, posted=dict(posted), sending_at=None)
    )


def release(session: Session, entry_id: int, *, error: str, now: datetime) -> datetime:
    """Give the row back after a failure that may pass; it is tried again after a back-off
    that grows with the attempts so far. Returns when."""
    attempts = session.scalar(select(OutboxEntry.attempts).where(OutboxEntry.id == entry_id))
    retry_at = now + min(RETRY_STEP * max(attempts or 1, 1), RETRY_CAP)
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(
            claimed_at=None,
            claimed_by=None,
            sending_at=None,
            retry_at=retry_at,
            last_error=error[:2000],
        )
    )
    return retry_at


def due(
    session: Session, *, now: datetime, limit: int = 50, key_prefix: str | None = None
) -> list[tuple[int, str | None]]:
    """(id, key) of rows past their grace period that no live process holds and that may be
    sent now; with ``key_prefix``, only rows whose key starts with it."""
    only = [OutboxEntry.key.startswith(key_prefix)] if key_prefix else []
    rows = session.execute(
        select(OutboxEntry.id, OutboxEntry.key)
        .where(
            # The grace period lets the saving process go first; a row given back had its go.
            (OutboxEntry.created_at < now - GRACE) | OutboxEntry.retry_at.is_not(None),
            *_takeable(now),
            *only,
        )
        .order_by(OutboxEntry.id)
        .limit(limit)
    )
    return [(row.id, row.key) for row in rows]


def uncertain(session: Session, *, since: datetime, now: datetime) -> list[OutboxEntry]:
    """Rows saved since ``since`` left *sending* — the answer was lost, or the sender died
    mid-call: Slack may or may not have the message."""
    query = select(OutboxEntry).where(
        OutboxEntry.created_at >= since,
        OutboxEntry.sent_at.is_(None),
        OutboxEntry.sending_at.is_not(None),
        OutboxEntry.claimed_by.is_(None) | (OutboxEntry.claimed_at < now - LEASE),
    )
    return list(session.scalars(query.order_by(OutboxEntry.id)))


def saved_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of ``keys`` are saved already (sent, on their way, or in doubt)."""
    if not keys:
        return set()
    return set(session.scalars(select(OutboxEntry.key).where(OutboxEntry.key.in_(keys))))
