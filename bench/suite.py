"""One backend's share of the run: build the data, then scenarios 1, 4, 6, 2, 3, 5 and 7.

The database grows in two steps: ``small_assets`` (scenario 1 and the small digest), then
``big_assets`` (the large digest, the HTTP scenarios and memory).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bench import data, digest, fanout, inprocess, memory, over_http, proof_load, slow_slack
from bench.config import Counts
from bench.databases import database
from bench.report import Report
from bot.devtools.workspace import Workspace
from bot.storage.asset_models import Asset


def _asset_ids(ws: Workspace) -> list[int]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(Asset.id).order_by(Asset.id)))


def run_backend(backend: str, *, counts: Counts, report: Report, workdir: Path) -> None:
    with database(backend, workdir) as url:
        members, asset_ids = _in_process(url, backend=backend, counts=counts, report=report)
        report.mark_load(f"{backend}: scenario 6")
        fanout.scenario_6(url, recipients=counts.fanout_recipients, backend=backend, report=report)
        report.mark_load(f"{backend}: starting servers")
        http = over_http.start(url, workdir)
        try:
            report.mark_load(f"{backend}: scenario 2")
            over_http.scenario_2(
                http,
                counts=counts,
                backend=backend,
                asset_ids=asset_ids,
                members=members,
                report=report,
            )
            report.mark_load(f"{backend}: scenario 3")
            slow_slack.scenario_3(http, counts=counts, backend=backend, report=report)
            memory.scenario_5(http, backend=backend, big=counts.big_assets, report=report)
            report.mark_load(f"{backend}: scenario 7")
            proof_load.scenario_7(http, backend=backend, workdir=workdir, report=report)
            report.mark_load(f"{backend}: scenarios 2, 3, 5 and 7 done")
        finally:
            http.stop()


def _in_process(
    url: str, *, backend: str, counts: Counts, report: Report
) -> tuple[dict[str, str], list[int]]:
    """Load the data and run scenarios 1 and 4; (members, asset ids) for the HTTP scenarios."""
    today, now = data.today_and_now()
    ws = Workspace.start(database_url=url, timezone="UTC")
    try:
        engine = ws.runtime.db.engine
        report.mark_load(f"{backend}: workspace up")
        small = data.load(engine, start=0, count=counts.small_assets, today=today, now=now)
        found = digest.builder()
        small_digest = (
            digest.measure(ws.runtime.db, found, day=today, now=now, runs=counts.runs)
            if found
            else None
        )
        report.mark_load(f"{backend}: data loaded, digest timed; scenario 1")
        inprocess.run(ws, counts=counts, backend=backend, asset_ids=_asset_ids(ws), report=report)
        report.mark_load(f"{backend}: growing the data")
        big = data.load(
            engine,
            start=counts.small_assets,
            count=counts.big_assets - counts.small_assets,
            today=today,
            now=now,
        )
        report.mark_load(f"{backend}: scenario 4")
        big_digest = (
            digest.measure(ws.runtime.db, found, day=today, now=now, runs=counts.runs)
            if found
            else None
        )
        sizes = (counts.small_assets, counts.big_assets)
        digest.record(report, backend=backend, small=small_digest, big=big_digest, sizes=sizes)
        _note_data(report, backend, counts, small, big, data.counts(engine))
        return data.members(engine), _asset_ids(ws)
    finally:
        ws.close()


def _note_data(
    report: Report,
    backend: str,
    counts: Counts,
    small: data.Loaded,
    big: data.Loaded,
    rows: dict[str, int],
) -> None:
    report.note(
        f"Data ({backend}): {counts.small_assets:,} assets ({small.overdue:,} overdue, "
        f"{small.pending_rounds:,} pending rounds) for scenario 1 and the small digest, "
        f"then {counts.big_assets:,} ({small.overdue + big.overdue:,} overdue, "
        f"{small.pending_rounds + big.pending_rounds:,} pending rounds with "
        f"{small.pending_steps + big.pending_steps:,} pending steps) for the rest; rows: "
        + ", ".join(f"{name} {n:,}" for name, n in rows.items())
        + "."
    )
