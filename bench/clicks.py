"""A pool of approve clicks that each do real work, and putting the pool back afterwards.

Pending rounds are drawn as Sleeve draws them (``bot.approvals.messages.approval_message``),
posted to the fake Slack so that the redraw after each decision edits a real message, and
their ``message_ts`` is stored. Every click presses the Approve button of one pending step
as a member of its department, so every click records a decision (and the last step of a
round completes it). After a run the bench waits until every decision is in the database
and every message the decisions owe is sent, then resets those steps, rounds and assets to
pending/review for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import selectinload

from bench.payloads import CHANNEL, Click, approve_buttons
from bot.approvals.flow import roster
from bot.approvals.messages import approval_message
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.db import Database
from bot.storage.outbox_models import OutboxEntry

CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def prepare(
    db: Database, *, api_url: str, token: str, members: dict[str, str], wanted: int
) -> list[Click]:
    """At least ``wanted`` clicks (when there are that many pending steps), spread over rounds:
    first every round's first step, then every round's second, and so on."""
    client = WebClient(token=token, base_url=api_url)
    clicks: list[tuple[int, int, Click]] = []
    posted: dict[int, str] = {}
    with db.read() as session:
        depts = roster(session)
        requests = session.scalars(
            select(ApprovalRequest)
            .where(ApprovalRequest.status == "pending")
            .order_by(ApprovalRequest.id)
            .limit(max(1, wanted // 2 + 1))
            .options(selectinload(ApprovalRequest.steps), selectinload(ApprovalRequest.asset))
        ).all()
        for request in requests:
            text, blocks = approval_message(request, request.asset, depts, ZoneInfo("UTC"))
            answer = client.chat_postMessage(channel=CHANNEL, text=text, blocks=blocks)
            message = dict(answer["message"])
            posted[request.id] = str(answer["ts"])
            buttons = approve_buttons(blocks)
            for position, step in enumerate(request.steps):
                if step.department_key not in buttons or step.department_key not in members:
                    continue
                block_id, value = buttons[step.department_key]
                click = Click(
                    request_id=request.id,
                    step_id=step.id,
                    dept=step.department_key,
                    user_id=members[step.department_key],
                    block_id=block_id,
                    value=value,
                    message=message,
                )
                clicks.append((position, request.id, click))
    with db.write() as session:
        for request_id, ts in posted.items():
            session.execute(
                update(ApprovalRequest)
                .where(ApprovalRequest.id == request_id)
                .values(message_ts=ts, channel_id=CHANNEL)
            )
    clicks.sort(key=lambda item: (item[0], item[1]))
    return [click for _, _, click in clicks]


def decided(db: Database, step_ids: Sequence[int]) -> int:
    """How many of the steps are decided; a read transaction (on SQLite a plain ``BEGIN``,
    which takes no write lock away from the server)."""
    total = 0
    with db.read() as session:
        for chunk in _chunks(step_ids):
            total += int(
                session.scalar(
                    select(func.count())
                    .select_from(ApprovalStep)
                    .where(ApprovalStep.id.in_(chunk), ApprovalStep.status != "pending")
                )
                or 0
            )
    return total


def wait_decided(db: Database, step_ids: Sequence[int], timeout: float) -> tuple[int, float]:
    """(how many of the steps are decided, seconds waited) once all are, or at the timeout."""
    start = time.perf_counter()
    while True:
        done = decided(db, step_ids)
        waited = time.perf_counter() - start
        if done >= len(step_ids) or waited > timeout:
            return done, waited
        time.sleep(0.05)


def wait_delivered(db: Database, timeout: float) -> bool:
    """Whether every outbox row was sent (the decisions' redrawn messages) within the
    timeout, so the next run starts on a quiet server."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with db.read() as session:
            unsent = session.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.sent_at.is_(None), OutboxEntry.sending_at.is_(None))
            )
        if not unsent:
            return True
        time.sleep(0.05)
    return False


def reset(engine: Engine, clicks: Sequence[Click]) -> None:
    """Put the clicked steps, their rounds and their assets back as they were."""
    step_ids = [click.step_id for click in clicks]
    request_ids = sorted({click.request_id for click in clicks})
    with engine.begin() as conn:
        for chunk in _chunks(step_ids):
            conn.execute(
                update(ApprovalStep)
                .where(ApprovalStep.id.in_(chunk))
                .values(status="pending", decided_by=None, decided_at=None, reason=None)
            )
        for chunk in _chunks(request_ids):
            conn.execute(
                update(ApprovalRequest)
                .where(ApprovalRequest.id.in_(chunk))
                .values(status="pending", closed_at=None)
            )
            assets = select(ApprovalRequest.asset_id).where(ApprovalRequest.id.in_(chunk))
            conn.execute(
                update(Asset).where(Asset.id.in_(assets)).values(stage="review", held_from=None)
            )
