"""Scenario 3: the fake Slack adds a delay to every Web API call; ``/asset new`` (which posts
its card after the ack) must still be acknowledged quickly."""

from __future__ import annotations

import time

from bench import loadgen
from bench.config import Counts
from bench.over_http import Http, command_request
from bench.report import Report, Row
from bench.stats import LoadRun, Series

SLOW_P99_BAR_MS = 100.0


def _new_assets(http: Http, counts: Counts, tag: str) -> tuple[LoadRun, list[str]]:
    requests = [
        command_request(http, http.sleeve.port, f'new "Bench poster {tag}-{i}" kind:poster due:+7d')
        for i in range(counts.slow_commands)
    ]
    run = loadgen.run(http.sleeve.port, requests, concurrency=counts.concurrency, time_limit=60)
    problems = []
    if run.errors or run.statuses.get(200, 0) != run.count:
        problems.append(f"statuses {run.statuses}, {run.errors} errors")
    return run, problems


def _wait_cards(http: Http, tag: str, expected: int, timeout: float = 60) -> int:
    """Cards of the burst ``tag`` that reached the fake Slack, once all have or at the timeout."""
    deadline = time.perf_counter() + timeout
    posted = 0
    while time.perf_counter() < deadline:
        posted = http.fake.posted(f"Bench poster {tag}")
        if posted >= expected:
            break
        time.sleep(0.2)
    return posted


def scenario_3(http: Http, *, counts: Counts, backend: str, report: Report) -> None:
    scenario = "3 slow Slack"
    # The same burst with Slack answering at once: what the acks cost without the delay.
    fast, problems = _new_assets(http, counts, "fast")
    _wait_cards(http, "fast", counts.slow_commands)
    p99, p50 = Series(), Series()
    http.fake.latency(counts.slack_latency)
    try:
        for run_no in range(counts.slow_runs):
            run, found = _new_assets(http, counts, f"slow{run_no}")
            p50.add(run.pct(50))
            p99.add(run.pct(99))
            problems += found
    finally:
        http.fake.latency(0)
    expected = counts.slow_runs * counts.slow_commands
    posted = _wait_cards(http, "slow", expected)
    label = "/asset new ack"
    report.add(Row(scenario, backend, f"{label} p99, Slack +0 s (reference)", fast.pct(99), "ms"))
    report.add(
        Row(
            scenario,
            backend,
            f"{label} p50, Slack +{counts.slack_latency:g} s",
            p50.median,
            "ms",
            spread=p50.spread(),
            key="slow_p50",
        )
    )
    report.add(
        Row(
            scenario,
            backend,
            f"{label} p99, Slack +{counts.slack_latency:g} s",
            p99.median,
            "ms",
            bar=f"< {SLOW_P99_BAR_MS:g} ms",
            ok=p99.median < SLOW_P99_BAR_MS,
            spread=p99.spread(),
            key="slow_p99",
        )
    )
    report.note(
        f"Scenario 3 ({backend}): {counts.slow_commands} `/asset new` commands a run at "
        f"{counts.concurrency} concurrent clients, first with Slack answering at once "
        f"(p50 {fast.pct(50):.1f} ms), then {counts.slow_runs} runs while every Web API call "
        f"took {counts.slack_latency:g} s longer; {posted} of those {expected} cards reached "
        "the fake Slack after the acks."
    )
    for problem in dict.fromkeys(problems):
        report.note(f"Scenario 3 ({backend}): {problem}.")
