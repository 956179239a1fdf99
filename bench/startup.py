"""Scenario 6: start-up. ``python -m bot --help`` (a new interpreter each time) and ``serve``
answering /healthz, timed from launching the process."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench import servers
from bench.fake_proc import FakeSlackProcess
from bench.report import Report, Row
from bench.stats import Series

HELP_BAR_MS = 300.0
HEALTHY_BAR_S = 2.0


def _time_process(argv: list[str], workdir: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=workdir, env=servers.base_env(), capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def help_time(*, runs: int, workdir: Path, report: Report) -> None:
    helps, bare = Series(), Series()
    for _ in range(runs + 1):
        helps.add(_time_process([sys.executable, "-m", "bot", "--help"], workdir))
        bare.add(_time_process([sys.executable, "-c", "pass"], workdir))
    helps.values.pop(0)  # the first warms the page cache
    bare.values.pop(0)
    report.add(
        Row(
            "6 start-up",
            "-",
            "python -m bot --help",
            helps.median,
            "ms",
            bar=f"< {HELP_BAR_MS:g} ms",
            ok=helps.median < HELP_BAR_MS,
            spread=helps.spread(),
        )
    )
    report.note(
        f"Scenario 6: an empty interpreter (`python -c pass`) takes {bare.median:.0f} ms here; "
        f"`--help` is {helps.median - bare.median:.0f} ms more."
    )


def healthz_time(
    *,
    database_url: str,
    backend: str,
    runs: int,
    workdir: Path,
    report: Report,
    seen: list[float],
) -> None:
    """``seen``: launch-to-healthy times already measured (the HTTP scenarios' own launch);
    more launches are made until there are ``runs``."""
    token, secret = "xoxb-" + secrets.token_hex(12), secrets.token_hex(16)
    healthy = Series(list(seen))
    if len(healthy.values) >= runs:
        _record_healthz(report, backend, healthy)
        return
    fake = FakeSlackProcess(token, servers.base_env())
    try:
        for _ in range(runs - len(healthy.values)):
            server = servers.start_sleeve(
                database_url=database_url,
                api_url=fake.api_url,
                token=token,
                secret=secret,
                workdir=workdir,
            )
            try:
                healthy.add(server.wait_healthy(60))
            finally:
                server.stop()
    finally:
        fake.stop()
    _record_healthz(report, backend, healthy)


def _record_healthz(report: Report, backend: str, healthy: Series) -> None:
    report.add(
        Row(
            "6 start-up",
            backend,
            "serve: launch to first /healthz 200",
            healthy.median,
            "s",
            bar=f"< {HEALTHY_BAR_S:g} s",
            ok=healthy.median < HEALTHY_BAR_S,
            spread=healthy.spread(),
        )
    )
