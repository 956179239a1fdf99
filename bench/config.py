"""How much each scenario does: the full run (bars enforced) and the quick one (proof only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    quick: bool
    runs: int  # repetitions of every measured run; medians are taken over them
    small_assets: int  # scenario 1, and the small size of scenario 4
    big_assets: int  # scenarios 2, 3, 5 and the large size of scenario 4
    inproc_requests: int  # dispatches per command per run (scenario 1)
    http_requests: int  # requests per command per run (scenario 2)
    http_time_limit: float  # seconds a run may take before it stops short
    clicks: int  # approve clicks per run (scenario 2)
    slow_commands: int  # commands per run against the slow fake Slack (scenario 3)
    slow_runs: int
    slack_latency: float  # seconds the fake Slack adds to every call (scenario 3)
    fanout_recipients: int = 300  # personal digests by DM (scenario 6)
    click_settle_timeout: float = 30.0  # seconds to wait for the decisions after a click run
    concurrency: int = 8


FULL = Counts(
    quick=False,
    runs=5,
    small_assets=10_000,
    big_assets=100_000,
    inproc_requests=200,
    http_requests=1_000,
    http_time_limit=3.0,
    clicks=1_000,
    slow_commands=150,
    slow_runs=3,
    slack_latency=2.0,
    fanout_recipients=300,
)

QUICK = Counts(
    quick=True,
    runs=1,
    small_assets=1_000,
    big_assets=3_000,
    inproc_requests=20,
    http_requests=60,
    http_time_limit=2.0,
    clicks=30,
    slow_commands=16,
    slow_runs=1,
    slack_latency=2.0,
    fanout_recipients=30,
)
