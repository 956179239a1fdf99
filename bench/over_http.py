"""Scenario 2: ``python -m bot serve`` over HTTP against bare Bolt under the same gunicorn
configuration, with the fake Slack in a third process (the servers serve scenarios 3 and 5 too).
What a user feels here is the ack: how many a second the app can give at 8 clients, and the
slowest of them (p99).

Fixed-count runs at 8 concurrent keep-alive connections, interleaved run by run: bare Bolt,
``/asset show``, ``/asset list``, approve clicks. After each click run the bench waits until
the decisions are recorded and their messages sent, so the next run, and scenario 3, start
on a quiet server.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import clicks as click_pool
from bench import loadgen, payloads, servers
from bench.config import Counts
from bench.fake_proc import FakeSlackProcess
from bench.report import Report, Row
from bench.stats import LoadRun, Series, ratio
from bot.storage.db import Database

P99_BAR_MS = 50.0
THROUGHPUT_BARS = {"show": 0.35, "list": 0.25, "click": 0.25}
LABELS = {"show": "/asset show", "list": "/asset list", "click": "approve click ack"}


@dataclass
class Http:
    fake: FakeSlackProcess
    sleeve: servers.Server
    bare: servers.Server
    secret: str
    db: Database

    def stop(self) -> None:
        for server in (self.sleeve, self.bare):
            server.stop()
        self.fake.stop()
        self.db.dispose()


def start(database_url: str, workdir: Path) -> Http:
    token, secret = "xoxb-" + secrets.token_hex(12), secrets.token_hex(16)
    fake = FakeSlackProcess(token, servers.base_env())
    sleeve = servers.start_sleeve(
        database_url=database_url, api_url=fake.api_url, token=token, secret=secret, workdir=workdir
    )
    try:
        sleeve.wait_healthy(60)
    except Exception:
        sleeve.stop()
        fake.stop()
        raise
    bare = servers.start_bare(api_url=fake.api_url, token=token, secret=secret, workdir=workdir)
    http = Http(fake, sleeve, bare, secret, Database.from_url(database_url))
    try:
        bare.wait_healthy(60)
    except Exception:
        http.stop()
        raise
    return http


def command_request(http: Http, port: int, text: str) -> bytes:
    body = payloads.command_body(
        user_id="U0CORA", command="/asset", text=text, fake_base_url=http.fake.base_url
    )
    signed = payloads.sign(http.secret, body)
    return loadgen.http_request("/slack/events", signed.body, signed.headers, port=port)


def _click(http: Http, click: payloads.Click) -> bytes:
    signed = payloads.sign(
        http.secret, payloads.click_body(click, fake_base_url=http.fake.base_url)
    )
    return loadgen.http_request("/slack/events", signed.body, signed.headers, port=http.sleeve.port)


def _check(http: Http, asset_id: int) -> None:
    """One of each request, answered as expected, before anything is timed."""
    expected = {
        http.bare.port: (f"show A-{asset_id}", b""),
        http.sleeve.port: (f"show A-{asset_id}", f"A-{asset_id}".encode()),
    }
    for port, (text, needle) in expected.items():
        conn = loadgen.Connection(port)
        status, body = conn.roundtrip(command_request(http, port, text))
        conn.close()
        if status != 200 or needle not in body:
            raise RuntimeError(f"port {port} answered {status}: {body[:300]!r}")


@dataclass
class Figures:
    throughput: Series
    p50: Series
    p99: Series
    problems: list[str]
    short: list[int]  # requests done in runs that the time limit stopped

    @classmethod
    def new(cls) -> Figures:
        return cls(Series(), Series(), Series(), [], [])

    def add(self, run: LoadRun, expected: int) -> None:
        self.throughput.add(run.throughput)
        self.p50.add(run.pct(50))
        self.p99.add(run.pct(99))
        if run.errors or run.statuses.get(200, 0) != run.count:
            self.problems.append(f"statuses {run.statuses}, {run.errors} connection errors")
        if run.count < expected:
            self.short.append(run.count)


def scenario_2(
    http: Http,
    *,
    counts: Counts,
    backend: str,
    asset_ids: list[int],
    members: dict[str, str],
    report: Report,
) -> None:
    rng = random.Random(2)
    _check(http, asset_ids[0])
    pool = click_pool.prepare(
        http.db,
        api_url=http.fake.api_url,
        token=http.fake.token,
        members=members,
        wanted=counts.clicks,
    )
    n_clicks = min(counts.clicks, len(pool))
    used = pool[:n_clicks]
    figures = {name: Figures.new() for name in ("bare", "show", "list", "click")}
    settled = Series()
    client_cpu: list[float] = []
    builders: dict[str, tuple[int, Callable[[int], bytes]]] = {
        "bare": (http.bare.port, lambda i: command_request(http, http.bare.port, "show A-1")),
        "show": (
            http.sleeve.port,
            lambda i: command_request(http, http.sleeve.port, f"show A-{rng.choice(asset_ids)}"),
        ),
        "list": (http.sleeve.port, lambda i: command_request(http, http.sleeve.port, "list")),
        "click": (http.sleeve.port, lambda i: _click(http, used[i])),
    }
    for _ in range(counts.runs):
        for name, (port, make) in builders.items():
            n = n_clicks if name == "click" else counts.http_requests
            requests = [make(i) for i in range(n)]
            warmup = [
                command_request(http, port, "show A-1") for _ in range(2 * counts.concurrency)
            ]
            run = loadgen.run(
                port,
                requests,
                concurrency=counts.concurrency,
                time_limit=counts.http_time_limit,
                warmup=warmup,
            )
            figures[name].add(run, n)
            client_cpu.append(run.client_cpu_s / run.elapsed_s)
            if name == "click":
                settled.add(_settle(http, counts, used, run, figures[name].problems))
    rounds = len({click.request_id for click in pool})
    _record_2(report, backend, figures, settled, n_clicks, len(pool), rounds)
    report.note(
        f"Scenario 2 ({backend}): the load client used {max(client_cpu):.0%} of one core at "
        "most (its CPU time ÷ run time), so it is not what limits the server."
    )


def _settle(
    http: Http, counts: Counts, used: list[payloads.Click], run: LoadRun, problems: list[str]
) -> float:
    """Wait for the clicks' decisions and messages, put the steps back; decisions a second."""
    step_ids = [click.step_id for click in used[: run.count]]
    done, waited = click_pool.wait_decided(http.db, step_ids, timeout=counts.click_settle_timeout)
    if done < len(step_ids):
        problems.append(f"{done}/{len(step_ids)} clicks decided")
    if not click_pool.wait_delivered(http.db, timeout=counts.click_settle_timeout):
        problems.append("decisions' messages still unsent")
    click_pool.reset(http.db.engine, used)
    return done / (run.elapsed_s + waited)


def _record_2(
    report: Report,
    backend: str,
    figures: dict[str, Figures],
    settled: Series,
    n_clicks: int,
    pool: int,
    rounds: int,
) -> None:
    scenario = "2 HTTP ×8"
    base = figures["bare"]
    report.add(
        Row(
            scenario,
            backend,
            "bare Bolt throughput",
            base.throughput.median,
            "req/s",
            spread=base.throughput.spread(),
            key="bare_throughput",
        )
    )
    report.add(
        Row(scenario, backend, "bare Bolt p99", base.p99.median, "ms", spread=base.p99.spread())
    )
    for name in ("show", "list", "click"):
        _record_kind(report, backend, name, figures[name], base)
    report.add(
        Row(
            scenario,
            backend,
            "approve clicks decided (ack to last decision)",
            settled.median,
            "req/s",
            baseline=base.throughput.median,
            spread=settled.spread(),
            key="decided",
        )
    )
    report.note(
        f"Scenario 2 ({backend}): {n_clicks} approve clicks a run, each on a different pending "
        f"step (a pool of {pool} steps of {rounds} pending rounds), so every click "
        "records a real decision; between runs the clicked steps are put back to pending. The "
        "click figures are the acks; 'decided' counts until the last decision is in the database."
    )


def _record_kind(report: Report, backend: str, name: str, fig: Figures, base: Figures) -> None:
    """One request kind's throughput (against bare Bolt's), p50 and p99, and its problems."""
    scenario, bar = "2 HTTP ×8", THROUGHPUT_BARS[name]
    value = fig.throughput.median
    share = ratio(value, base.throughput.median)
    report.add(
        Row(
            scenario,
            backend,
            f"{LABELS[name]} throughput",
            value,
            "req/s",
            baseline=base.throughput.median,
            bar=f"≥ {bar:g}×",
            ok=not math.isnan(share) and share >= bar,
            spread=fig.throughput.spread(),
            key=f"{name}_throughput",
        )
    )
    report.add(
        Row(
            scenario,
            backend,
            f"{LABELS[name]} p50",
            fig.p50.median,
            "ms",
            baseline=base.p50.median,
            spread=fig.p50.spread(),
        )
    )
    report.add(
        Row(
            scenario,
            backend,
            f"{LABELS[name]} p99",
            fig.p99.median,
            "ms",
            baseline=base.p99.median,
            bar=f"< {P99_BAR_MS:g} ms",
            ok=fig.p99.median < P99_BAR_MS,
            spread=fig.p99.spread(),
            key=f"{name}_p99",
        )
    )
    for problem in dict.fromkeys(fig.problems):
        report.note(f"Scenario 2 ({backend}) {LABELS[name]}: {problem}.")
    if fig.short:
        report.note(
            f"Scenario 2 ({backend}) {LABELS[name]}: {len(fig.short)} of the runs reached the "
            f"time limit first, after {min(fig.short)}–{max(fig.short)} requests."
        )
