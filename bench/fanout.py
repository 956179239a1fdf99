"""Scenario 6: a personal digest to every subscriber, by DM, against a fake Slack that
enforces chat.postMessage's one message a second per channel.

Two sweepers run at once on one database, as two replicas would at the same minute. What
counts: every subscriber gets exactly one DM (none lost, none twice), and under 5 % of the
calls are answered 429.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bench.report import Report, Row
from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.digests.outgoing import EVENT_TYPE
from bot.digests.service import set_personal
from bot.scheduler import DigestSweeper
from bot.slack.client import client_for
from bot.storage.asset_models import Asset

SCENARIO = "6 DM fan-out"
MAX_429_SHARE = 0.05
# A Monday after the personal digests' 09:00: they are due.
MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _subscribe(ws: Workspace, people: list[str]) -> None:
    now = ws.runtime.now()
    for n, user_id in enumerate(people):
        ws.fake.add_user(user_id, f"person{n}")
    row = {
        "kind": "poster",
        "stage": "design",
        "priority": "normal",
        "created_at": now,
        "updated_at": now,
        "release_id": None,
        "freelancer_id": None,
        "due": (now + timedelta(days=2)).date(),
    }
    assets = [row | {"title": f"Poster {u}", "owner_id": u, "created_by": u} for u in people]
    with ws.runtime.db.write() as session:
        session.execute(Asset.__table__.insert(), assets)
        for user_id in people:
            set_personal(session, user_id=user_id, on=True, now=now)


def scenario_6(url: str, *, recipients: int, backend: str, report: Report) -> None:
    ws = Workspace.start(database_url=url, timezone="UTC", clock=FixedClock(MONDAY_MORNING))
    try:
        with ws.runtime.db.read() as session:
            before = session.scalar(select(func.count()).select_from(Asset)) or 0
        people = [f"U9{n:07d}" for n in range(recipients)]
        _subscribe(ws, people)
        ws.fake.limit_posts_per_channel(1.0)
        ws.runtime.pacer.interval = 1.0  # the production default (the workspace turns it off)
        sweepers = [DigestSweeper(ws.runtime, client_for(ws.runtime.settings)) for _ in range(2)]
        start = time.perf_counter()
        threads = [threading.Thread(target=s.run) for s in sweepers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
        _record(ws, people, seconds, backend, report, before)
    finally:
        ws.close()


def _record(
    ws: Workspace, people: list[str], seconds: float, backend: str, report: Report, assets: int
) -> None:
    dms = {ws.fake.dm_channel(user): user for user in people}
    sent = [
        m
        for m in ws.fake.messages()
        if m.channel in dms and (m.metadata or {}).get("event_type") == EVENT_TYPE
    ]
    got = {dms[m.channel] for m in sent}
    lost, doubled = len(people) - len(got), len(sent) - len(got)
    calls = ws.fake.calls("chat.postMessage")
    refused = sum(call.status == 429 for call in calls)
    share = refused / len(calls) if calls else 0.0
    n = len(people)
    report.add(Row(SCENARIO, backend, f"{n} DMs: lost", lost, "count", bar="0", ok=lost == 0))
    report.add(
        Row(SCENARIO, backend, f"{n} DMs: sent twice", doubled, "count", bar="0", ok=doubled == 0)
    )
    report.add(
        Row(
            SCENARIO,
            backend,
            f"{n} DMs: calls answered 429",
            share * 100,
            "%",
            bar="< 5 %",
            ok=share < MAX_429_SHARE,
            shown=f"{share:.1%} ({refused} of {len(calls)})",
            key="fanout_429",
        )
    )
    report.add(Row(SCENARIO, backend, f"{n} DMs: wall time, two sweepers", seconds, "s"))
    if assets:
        report.note(f"Scenario 6 ({backend}) ran beside {assets:,} other assets.")
