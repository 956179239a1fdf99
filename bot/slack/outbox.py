"""Claiming and recording outbox deliveries; the database decides who sends a row.

A row is claimed by a conditional update (unsent, and unclaimed or its lease expired), so
two replicas never send it at once. The process that saved a row claims it right after the
ack; the sweep leaves an unclaimed row alone for a grace period, and a claimed one until
its lease expires (renewed after each message sent). Progress is saved after each message,
so a retry resumes after the last one sent; only a crash between a send and its record can
repeat a message, which is the narrowest window the Web API (no idempotency keys) allows.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.outbox_models import OutboxEntry

LEASE = timedelta(seconds=60)  # longer than one message's send with every retry
GRACE = timedelta(seconds=10)  # the process that took the request goes first
MAX_ATTEMPTS = 5
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    session: Session,
    *,
    items: list[dict[str, Any]],
    response_url: str | None,
    now: datetime,
    claimed: bool = False,
) -> int:
    """Save a row. Unclaimed, the process that saved it claims it right after the ack;
    ``claimed``, it is this process's already (it sends as soon as the transaction commits)."""
    entry = OutboxEntry(
        created_at=now,
        items=items,
        response_url=response_url,
        done_items=0,
        posted={},
        attempts=1 if claimed else 0,
        claimed_at=now if claimed else None,
        claimed_by=WORKER if claimed else None,
    )
    session.add(entry)
    session.flush()
    return entry.id


def claim(session: Session, entry_id: int, *, now: datetime) -> OutboxEntry | None:
    won = session.execute(
        update(OutboxEntry)
        .where(
            OutboxEntry.id == entry_id,
            OutboxEntry.sent_at.is_(None),
            OutboxEntry.attempts < MAX_ATTEMPTS,
            OutboxEntry.claimed_at.is_(None) | (OutboxEntry.claimed_at < now - LEASE),
        )
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
        .values(done_items=done_items, posted=dict(posted), claimed_at=now)
    )


def finish(
    session: Session, entry_id: int, *, now: datetime, done_items: int, posted: dict[str, str]
) -> None:
    """Record the last message and mark the row sent, in one statement."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(sent_at=now, done_items=done_items, posted=dict(posted))
    )


def release(session: Session, entry_id: int, *, error: str) -> None:
    """Give the row back for the next sweep (after a failure that may pass)."""
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(claimed_at=None, claimed_by=None, last_error=error[:2000])
    )


def due(session: Session, *, now: datetime, limit: int = 50) -> list[int]:
    """Unsent rows past their grace period whose claim, if any, has expired."""
    return list(
        session.scalars(
            select(OutboxEntry.id)
            .where(
                OutboxEntry.sent_at.is_(None),
                OutboxEntry.attempts < MAX_ATTEMPTS,
                OutboxEntry.created_at < now - GRACE,
                OutboxEntry.claimed_at.is_(None) | (OutboxEntry.claimed_at < now - LEASE),
            )
            .order_by(OutboxEntry.id)
            .limit(limit)
        )
    )
