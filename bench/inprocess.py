"""Scenario 1: ``app.dispatch`` of signed slash commands in-process, Sleeve against bare Bolt.

Each iteration dispatches, in turn, the same kind of signed ``/asset show A-…`` body to the bare
app, then ``/asset show A-…`` (a random asset) and ``/asset list`` to Sleeve; only
``dispatch`` is timed (building ``BoltRequest`` included, signing not). Sleeve's work after the
ack (on its executor) is waited for between iterations, outside the timing, so it never
overlaps the next dispatch.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from slack_bolt import App, BoltRequest

from bench import payloads
from bench.bare import bare_app
from bench.config import Counts
from bench.report import Report, Row
from bench.stats import Series, percentile
from bot.devtools.workspace import Workspace

WARMUP = 20
BAR_MS = 1.0


def _timed(app: App, signed: payloads.Signed) -> tuple[float, float]:
    """(wall ms, CPU ms of this thread) of one dispatch."""
    start, cpu = time.perf_counter(), time.thread_time()
    response = app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
    elapsed, used = (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000
    if response.status != 200:
        raise RuntimeError(f"dispatch answered {response.status}: {response.body[:300]}")
    return elapsed, used


def run(
    ws: Workspace, *, counts: Counts, backend: str, asset_ids: list[int], report: Report
) -> None:
    secret = ws.driver.secret
    bare = bare_app(signing_secret=secret, token=ws.fake.bot_token, api_url=ws.fake.api_url)
    rng = random.Random(1)

    def body(text: str) -> payloads.Signed:
        return payloads.sign(
            secret,
            payloads.command_body(
                user_id="U0CORA", command="/asset", text=text, fake_base_url=ws.fake.base_url
            ),
        )

    kinds: list[tuple[str, App, Callable[[], str]]] = [
        ("bare", bare, lambda: f"show A-{rng.choice(asset_ids)}"),
        ("show", ws.app, lambda: f"show A-{rng.choice(asset_ids)}"),
        ("list", ws.app, lambda: "list"),
    ]
    # A sanity check that Sleeve answers these commands with what they ask for.
    first, listing = body(f"show A-{asset_ids[0]}"), body("list")
    shown = ws.app.dispatch(BoltRequest(body=first.body, headers=first.headers))
    listed = ws.app.dispatch(BoltRequest(body=listing.body, headers=listing.headers))
    ws.settle()
    if f"A-{asset_ids[0]}" not in shown.body or "20 of" not in listed.body:
        raise RuntimeError(f"unexpected answers: {shown.body[:200]!r} / {listed.body[:200]!r}")

    p50 = {name: Series() for name, _, _ in kinds}
    cpu50 = {name: Series() for name, _, _ in kinds}
    overhead = {name: Series() for name in ("show", "list")}
    cpu_overhead = {name: Series() for name in ("show", "list")}
    for _ in range(counts.runs):
        walls: dict[str, list[float]] = {name: [] for name, _, _ in kinds}
        cpus: dict[str, list[float]] = {name: [] for name, _, _ in kinds}
        for i in range(WARMUP + counts.inproc_requests):
            for name, app, text in kinds:
                elapsed, used = _timed(app, body(text()))
                if app is ws.app:
                    ws.settle()
                if i >= WARMUP:
                    walls[name].append(elapsed)
                    cpus[name].append(used)
        for name in walls:
            p50[name].add(percentile(walls[name], 50))
            cpu50[name].add(percentile(cpus[name], 50))
        for name in overhead:
            overhead[name].add(p50[name].values[-1] - p50["bare"].values[-1])
            cpu_overhead[name].add(cpu50[name].values[-1] - cpu50["bare"].values[-1])

    scenario = "1 dispatch"
    base = p50["bare"]
    report.add(
        Row(scenario, backend, "bare Bolt p50", base.median, "ms", bar="", spread=base.spread())
    )
    for name, label in (("show", "/asset show"), ("list", "/asset list (20 rows)")):
        report.add(
            Row(
                scenario,
                backend,
                f"{label} p50",
                p50[name].median,
                "ms",
                baseline=base.median,
                spread=p50[name].spread(),
            )
        )
        value = overhead[name].median
        report.add(
            Row(
                scenario,
                backend,
                f"{label} p50 overhead",
                value,
                "ms",
                bar=f"≤ {BAR_MS:g} ms",
                ok=value <= BAR_MS,
                spread=overhead[name].spread(),
            )
        )
        report.add(
            Row(
                scenario,
                backend,
                f"{label} p50 CPU overhead (dispatching thread)",
                cpu_overhead[name].median,
                "ms",
                spread=cpu_overhead[name].spread(),
            )
        )
    report.note(
        f"Scenario 1 ({backend}): bare Bolt's p50 CPU time a dispatch was "
        f"{cpu50['bare'].median:.3f} ms. The CPU rows (thread_time of the dispatching thread) "
        "are less sensitive to other processes on the machine than the wall-clock rows the bar "
        "is on."
    )
