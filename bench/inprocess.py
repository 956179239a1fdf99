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


def _timed(app: App, signed: payloads.Signed) -> float:
    """Wall milliseconds of one dispatch."""
    start = time.perf_counter()
    response = app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise RuntimeError(f"dispatch answered {response.status}: {response.body[:300]}")
    return elapsed


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
    for _ in range(counts.runs):
        walls: dict[str, list[float]] = {name: [] for name, _, _ in kinds}
        for i in range(WARMUP + counts.inproc_requests):
            for name, app, text in kinds:
                elapsed = _timed(app, body(text()))
                if app is ws.app:
                    ws.settle()
                if i >= WARMUP:
                    walls[name].append(elapsed)
        for name in walls:
            p50[name].add(percentile(walls[name], 50))
    _record(report, backend, p50)


def _record(report: Report, backend: str, p50: dict[str, Series]) -> None:
    scenario = "1 dispatch"
    base = p50["bare"]
    report.add(Row(scenario, backend, "bare Bolt p50", base.median, "ms", spread=base.spread()))
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
        # The overhead of each run: Sleeve's p50 minus bare Bolt's p50 of the same run.
        overhead = Series([s - b for s, b in zip(p50[name].values, base.values, strict=True)])
        report.add(
            Row(
                scenario,
                backend,
                f"{label} overhead over bare Bolt (p50 − p50)",
                overhead.median,
                "ms",
                bar=f"≤ {BAR_MS:g} ms",
                ok=overhead.median <= BAR_MS,
                spread=overhead.spread(),
                key=f"{name}_overhead",
            )
        )
