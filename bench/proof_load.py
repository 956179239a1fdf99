"""Scenario 7: slash-command acks while four proofs are preflighted, and each preflight's
own cost (``bench.preflight``).

`serve` (the same gunicorn as scenario 2: 2 workers, each with ``SLEEVE_PREFLIGHT_WORKERS``
= 2 worker processes) gets four real-sized CD booklets (24 pages, 120 × 120 mm + 3 mm
bleed, 300 ppi CMYK) shared in an asset's thread, at the moment a load of `/asset list`
commands starts at 4 connections. The bar is on what a user feels meanwhile: the p99 ack.
The load runs until the four findings are posted (or a time limit).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from bench import copycheck, loadgen, payloads
from bench import preflight as single
from bench.over_http import Http, command_request
from bench.report import Report, Row
from bench.stats import LoadRun
from bot.devtools import artwork
from bot.storage.asset_models import Asset

PROOFS = 4
ACK_P99_BAR_MS = 100.0
LOAD_CONCURRENCY = 4
TIME_LIMIT_S = 120.0


def _asset_thread(http: Http) -> tuple[int, str, str]:
    conn = loadgen.Connection(http.sleeve.port)
    status, body = conn.roundtrip(
        command_request(http, http.sleeve.port, 'new "Bench booklet" kind:booklet due:+60d')
    )
    conn.close()
    if status != 200:
        raise RuntimeError(f"/asset new answered {status}: {body[:200]!r}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with http.db.read() as session:
            asset = session.scalar(
                select(Asset).where(Asset.title == "Bench booklet").order_by(Asset.id.desc())
            )
            if asset is not None and asset.card_ts and asset.channel_id:
                return asset.id, asset.channel_id, asset.card_ts
        time.sleep(0.1)
    raise RuntimeError("the bench asset's card was never posted")


def _share_all(http: Http, events: list[dict[str, object]], shared_at: list[float]) -> None:
    for event in events:
        envelope = {"type": "event_callback", "team_id": "T0SLEEVE", "api_app_id": "A0SLEEVE"}
        envelope |= {"event_id": f"Ev{time.time_ns()}", "event_time": int(time.time())}
        raw = json.dumps(envelope | {"event": event})
        signed = payloads.sign(http.secret, raw)
        headers = dict(signed.headers) | {"content-type": "application/json"}
        request = loadgen.http_request("/slack/events", signed.body, headers, port=http.sleeve.port)
        conn = loadgen.Connection(http.sleeve.port)
        conn.roundtrip(request)
        conn.close()
    shared_at.append(time.perf_counter())


def scenario_7(http: Http, *, backend: str, workdir: Path, report: Report) -> None:
    asset_id, channel, thread = _asset_thread(http)
    booklet = artwork.booklet_pdf(workdir / "bench-booklet.pdf", pages=24)
    events = [
        http.fake.share(
            booklet, user="U0CORA", channel=channel, thread_ts=thread, text=f"A-{asset_id}"
        )
        for _ in range(PROOFS)
    ]
    requests = [command_request(http, http.sleeve.port, "list") for _ in range(20_000)]
    shared_at: list[float] = []
    done_at: list[float] = []

    def start_sharing() -> None:
        threading.Thread(target=_share_all, args=(http, events, shared_at), daemon=True).start()
        threading.Thread(target=_watch, args=(http, done_at), daemon=True).start()

    run = _load_until_done(http, requests, start_sharing, done_at)
    _record(report, backend, run, shared_at, done_at)


def _watch(http: Http, done_at: list[float]) -> None:
    deadline = time.monotonic() + TIME_LIMIT_S
    while time.monotonic() < deadline:
        if http.fake.posted("Preflight A-") >= PROOFS:
            done_at.append(time.perf_counter())
            return
        time.sleep(0.2)


def _load_until_done(
    http: Http, requests: list[bytes], on_start: Callable[[], object], done_at: list[float]
) -> LoadRun:
    """`/asset list` at 4 connections, in slices, until the findings are all posted."""
    started, runs = time.perf_counter(), []
    first = True
    while time.perf_counter() - started < TIME_LIMIT_S:
        run = loadgen.run(
            http.sleeve.port,
            requests,
            concurrency=LOAD_CONCURRENCY,
            time_limit=2.0,
            on_start=on_start if first else (lambda: None),
        )
        first = False
        runs.append(run)
        if done_at:
            break
    statuses: dict[int, int] = {}
    for run in runs:
        for status, n in run.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return LoadRun(
        latencies_ms=[ms for run in runs for ms in run.latencies_ms],
        elapsed_s=sum(run.elapsed_s for run in runs),
        errors=sum(run.errors for run in runs),
        statuses=statuses,
    )


def _record(
    report: Report, backend: str, run: LoadRun, shared_at: list[float], done_at: list[float]
) -> None:
    p99 = run.pct(99)
    report.add(
        Row(
            "7 proofs",
            backend,
            f"/asset list ack p99 while {PROOFS} booklets (24 pp.) are preflighted",
            p99,
            "ms",
            bar=f"< {ACK_P99_BAR_MS:g} ms",
            ok=p99 < ACK_P99_BAR_MS and run.statuses.get(200, 0) == run.count,
            key="proof_ack_p99",
        )
    )
    took = (done_at[0] - shared_at[0]) if done_at and shared_at else float("nan")
    report.add(
        Row(
            "7 proofs",
            backend,
            f"{PROOFS} booklets shared → {PROOFS} findings posted (2 workers × 2 processes)",
            took,
            "s",
            ok=bool(done_at) or None,
            key="proof_batch_s",
        )
    )
    report.note(
        f"Scenario 7 ({backend}): {run.count:,} acks during the preflights, p50 "
        f"{run.pct(50):.1f} ms, p99 {p99:.1f} ms, statuses {run.statuses}."
    )


def single_file_rows(report: Report) -> None:
    """Each file's preflight on its own, in a fresh process (``bench.preflight``)."""
    figures = single.run()
    case_bars = {case.key: case.bar_s for case in single.CASES}
    bars = (
        ("booklet_s", "24-page CD booklet PDF preflight + preview", "s", case_bars["booklet"]),
        ("tiff_s", '12" jacket TIFF (3788 px CMYK) preflight + preview', "s", case_bars["tiff"]),
        ("store_s", "3000 px store cover JPEG preflight + preview", "s", None),
        ("peak_mb", "peak extra memory of one preflight", "MB", single.PEAK_BAR_MB),
    )
    for key, label, unit, bar in bars:
        value = figures.get(key, float("nan"))
        report.add(
            Row(
                "7 proofs",
                "—",
                label,
                value,
                unit,
                bar=f"< {bar:g} {unit}" if bar else "",
                ok=(value < bar) if bar else None,
                key=key,
            )
        )


def copy_check_row(report: Report) -> None:
    """What the copy check adds to a 24-page booklet's preflight (``bench.copycheck``)."""
    added = copycheck.run()["copy_check_added_s"]
    report.add(
        Row(
            "7 proofs",
            "—",
            "copy check added to a 24-page booklet's preflight (40 tracks)",
            added,
            "s",
            bar="< 1 s",
            ok=added < 1.0,
            key="copy_check_s",
        )
    )
