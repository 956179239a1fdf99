"""Shared by the digest tests: assets in bulk, a sweeper with fast retries, digest messages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from sqlalchemy import select

from bot.devtools.fake_slack_models import Message
from bot.devtools.workspace import Workspace
from bot.digests.outgoing import EVENT_TYPE
from bot.scheduler import DigestSweeper
from bot.slack.client import client_for
from bot.storage.asset_models import Asset
from bot.storage.outbox_models import OutboxEntry
from bot.storage.release_models import Release
from tests.helpers import CORA

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
FAST_RETRY = FixedValueRetryIntervalCalculator(0.01)
LEGAL = "C0LEGAL"


def add_release(ws: Workspace, catno: str, title: str) -> int:
    with ws.runtime.db.write() as session:
        release = Release(
            catno=catno,
            title=title,
            artist="The Vels",
            formats="cd",
            street_date=date(2027, 5, 14),
            channel_id=ws.channel,
            created_by=CORA,
            created_at=CREATED,
            updated_at=CREATED,
        )
        session.add(release)
        session.flush()
        return release.id


def add_assets(ws: Workspace, *rows: dict[str, Any]) -> None:
    """Insert assets in one statement (fast enough for 10,000); rows override the defaults."""
    defaults = {
        "kind": "poster",
        "stage": "design",
        "owner_id": CORA,
        "priority": "normal",
        "created_by": CORA,
        "created_at": CREATED,
        "updated_at": CREATED,
        "release_id": None,
        "freelancer_id": None,
    }
    with ws.runtime.db.write() as session:
        session.execute(Asset.__table__.insert(), [defaults | row for row in rows])


def sweeper(ws: Workspace) -> DigestSweeper:
    return DigestSweeper(ws.runtime, client_for(ws.runtime.settings, interval=FAST_RETRY))


def digests(ws: Workspace, channel: str | None = None) -> list[Message]:
    """Messages posted as digests (they carry the digest metadata marker)."""
    return [
        m
        for m in ws.fake.messages(channel)
        if isinstance(m.metadata, dict) and m.metadata.get("event_type") == EVENT_TYPE
    ]


def digest_rows(ws: Workspace) -> list[OutboxEntry]:
    """The outbox rows of scheduled digests (keyed by schedule or person and local date)."""
    with ws.runtime.db.read() as session:
        query = select(OutboxEntry).where(OutboxEntry.key.like("digest:%"))
        return list(session.scalars(query.order_by(OutboxEntry.id)))


def add_channel(ws: Workspace, channel: str = LEGAL, name: str = "legal") -> str:
    ws.fake.add_channel(channel, name)
    return f"<#{channel}|{name}>"
