"""Scenario 8, the App Home: building one person's Home (200 assets, 50 rounds waiting on
them) and a burst of 100 decisions clicked on it, which must redraw that Home at most once a
second and end on the last state."""

from __future__ import annotations

import statistics
import threading
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.databases import database
from bench.report import Report, Row
from bot.devtools.bulk import add_home_load
from bot.devtools.workspace import Workspace
from bot.home.content import build_home
from bot.home.messages import home_view
from bot.slack import ids

APPROVER, DEPT = "U0MIA", "marketing"


def _build(ws: Workspace) -> dict[str, Any]:
    with ws.runtime.db.read() as session:
        content = build_home(
            session,
            user_id=APPROVER,
            day=ws.runtime.today(),
            stage_days=ws.runtime.stage_days,
            group_members=lambda _group: None,
        )
    return home_view(content)


def scenario_8(backend: str, *, workdir: Path, report: Report) -> None:
    """Each half on an empty database of its own."""
    with database(backend, workdir) as url:
        build_rows(url, backend=backend, report=report)
    with database(backend, workdir) as url:
        burst_rows(url, backend=backend, report=report)


def build_rows(url: str, *, backend: str, report: Report, runs: int = 30) -> None:
    ws = Workspace.start(database_url=url, timezone="UTC")
    try:
        with ws.runtime.db.write() as session:
            add_home_load(
                session,
                owner=APPROVER,
                dept_key=DEPT,
                assets=200,
                pending=50,
                today=ws.runtime.today(),
            )
        _build(ws)  # warm caches
        seen: list[str] = []
        event.listen(ws.runtime.db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        _build(ws)
        queries = len(seen)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            _build(ws)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        report.add(
            Row(
                "8 home",
                backend,
                "Home build, 200 assets and 50 rounds waiting (median)",
                median,
                "ms",
                bar="< 50 ms",
                ok=median < 50,
                key="home_build_ms",
                spread=f"{min(times):.1f}–{max(times):.1f}",
            )
        )
        report.add(
            Row("8 home", backend, "Home build: SQL statements", queries, "", key="home_queries")
        )
    finally:
        ws.close()


def burst_rows(url: str, *, backend: str, report: Report, decisions: int = 100) -> None:
    """``decisions`` Approve clicks on the approver's Home within a second or two, with
    Slack's pace of one redraw a second per Home enforced by the app's pacer."""
    ws = Workspace.start(database_url=url, timezone="UTC", post_interval=1.0)
    try:
        with ws.runtime.db.write() as session:
            add_home_load(
                session,
                owner=APPROVER,
                dept_key=DEPT,
                assets=decisions,
                pending=decisions,
                today=ws.runtime.today(),
            )
        ws.driver.open_home(APPROVER)
        ws.settle()
        view_id = ws.fake.home_views[APPROVER].id
        buttons = _approve_buttons(ws, decisions)
        ws.fake.reset_calls()
        start = time.perf_counter()
        threads = [
            threading.Thread(
                target=ws.driver.home_click,
                args=(APPROVER,),
                kwargs={"view_id": view_id, "block_id": b, "action_id": ids.APPROVE, "value": v},
            )
            for b, v in buttons
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ws.settle(timeout=120)
        took = time.perf_counter() - start
        published = [c.at for c in ws.fake.calls("views.publish") if c.status == 200]
        gaps = [b - a for a, b in pairwise(published)]
        closest = min(gaps) if gaps else float("inf")
        final = str(ws.fake.home_views[APPROVER].view["blocks"])
        ended_right = "Waiting on you* (0)" in final
        report.add(
            Row(
                "8 home",
                backend,
                f"{decisions} decisions clicked on one Home: its redraws",
                len(published),
                "",
                shown=f"{len(published)} in {took:.1f} s",
                key="home_redraws",
            )
        )
        report.add(
            Row(
                "8 home",
                backend,
                "closest two redraws of that Home (ends on the last state)",
                closest,
                "s",
                bar="≥ 0.95 s",
                ok=closest >= 0.95 and ended_right,
                key="home_redraw_gap_s",
            )
        )
    finally:
        ws.close()


def _approve_buttons(ws: Workspace, count: int) -> list[tuple[str, str]]:
    from bot.approvals.messages import ApprovalButton
    from bot.storage.approval_models import ApprovalStep

    with ws.runtime.db.read() as session:
        steps = list(session.query(ApprovalStep).filter(ApprovalStep.department_key == DEPT))
    return [
        (
            ids.approval_block_id(s.request_id, DEPT),
            ApprovalButton(r=s.request_id, d=DEPT).model_dump_json(),
        )
        for s in steps[:count]
    ]
