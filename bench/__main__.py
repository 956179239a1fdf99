"""``python -m bench [--quick] [--backend sqlite|postgresql] [--out FILE]``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import startup
from bench.config import FULL, QUICK
from bench.databases import BACKENDS, PG_URL, pg_available
from bench.report import Report
from bench.suite import run_backend

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

METHOD = """
Everything runs on this one machine, over loopback. The baseline is a bare slack-bolt `App`
(`bench/bare.py`): the same signing secret, `process_before_response=True`, request
verification on, token verification against the same fake Slack, one listener per command
that calls `ack()` and nothing else. It is measured in the same run as Sleeve, interleaved run
by run, so a busy machine slows both alike.

- **Data**: bulk-loaded with SQLAlchemy Core `insert()` in batches of 5,000 (`bench/data.py`),
  never through the commands: releases (8 assets each, 60 % of assets), assets (10 % overdue,
  2 % in review with a pending round, the rest done, active, on hold or cancelled), one audit
  entry an asset, approval rounds (pending ones with one pending step a routed department;
  approved rounds behind 10 % of assets). PostgreSQL gets `ANALYZE` after loading (as
  autovacuum would); SQLite does not (the app never runs it). Each backend gets a database
  of its own: a SQLite file in a temporary folder, a PostgreSQL schema `bench_<pid>_…` that is
  dropped afterwards.
- **1 (in-process)**: the demo workspace (`bot.devtools.workspace.Workspace`, fake Slack
  in-process) with the small data set. Each iteration dispatches a freshly signed
  `/asset show A-…` to the bare app, then `/asset show A-<random>` and `/asset list` to
  Sleeve, timing `app.dispatch(BoltRequest(...))` only; Sleeve's after-ack work is waited for
  between iterations, untimed. The overhead is Sleeve's p50 minus the bare app's p50 of the
  same run; the median over the runs is reported.
- **2 (HTTP)**: `python -m bot serve --workers 2 --threads 8` (gunicorn gthread) and the bare
  app under a gunicorn of the same configuration (`bench/bare.py`), with the fake Slack in a
  third process (`bench/fake_proc.py`). The load client (`bench/loadgen.py`) runs 8 threads,
  each with one keep-alive connection, sending pre-signed requests (a fixed count, with a
  time limit); latency is from the first byte sent to the last byte read. Runs go bare →
  `/asset show` (random assets) → `/asset list` → approve clicks, repeated. Clicks: each
  presses Approve on a different pending step of a round that was posted to the fake Slack
  with Sleeve's own message builder, as a member of that department, so each records a
  decision and redraws the message after the ack; the click figures are acks, and "decided"
  counts until the last decision is in the database. Clicked steps are reset between runs.
  CPU a request: user plus system time from `/proc/<pid>/stat` over the timed requests
  (`bench/cpu.py`) of the server's master and workers, of every PostgreSQL process, and of
  the load client, divided by the requests; a click's is metered until its decision's
  messages were sent.
- **3 (slow Slack)**: the same servers; the fake Slack sleeps before answering every Web API
  call; 8 clients send `/asset new "…" kind:poster due:+7d` (which posts the asset's card
  after the ack); ack latency is measured, then the cards are counted as they land.
- **4 (digest)**: `build_digest` (its queries) plus `channel_digest` (Block Kit) in one read
  transaction, at the small and the large size; SQL statements are counted with a
  `before_cursor_execute` listener; the message is checked with the app's
  `bot.slack.limits.message_problems` and against 50 blocks / 3,000 characters a section.
- **5 (memory)**: VmRSS from `/proc/<pid>/status` of serve's master and each worker, summed,
  after scenarios 2 and 3, with the large data set loaded.
- **6 (start-up)**: wall time of `python -m bot --help` (a new interpreter each run, the first
  run discarded), and of `python -m bot serve` from launch to its first `200` on `/healthz`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts; no bar enforced")
    parser.add_argument("--backend", action="append", choices=BACKENDS, help="default: both")
    parser.add_argument("--out", type=Path, help="default: bench/RESULTS.md (full runs only)")
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else FULL
    report = Report(mode="quick" if args.quick else "full")
    report.mark_load("start")
    backends = list(args.backend or BACKENDS)
    if "postgresql" in backends:
        if pg_available():
            report.postgres_version = _pg_version()
        else:
            backends.remove("postgresql")
            report.note(f"PostgreSQL at {PG_URL} was not reachable: its scenarios were skipped.")
    with tempfile.TemporaryDirectory(prefix="sleeve-bench-") as tmp:
        workdir = Path(tmp)
        startup.help_time(runs=counts.help_runs, workdir=workdir, report=report)
        report.mark_load("--help timed")
        for backend in backends:
            run_backend(backend, counts=counts, report=report, workdir=workdir)
    report.mark_load("end")
    print("\n".join(report.table_lines()))
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        report.write_markdown(out, METHOD)
        print(f"\nwrote {out}")
    for label, load in report.loads:
        print(f"load average at {label}: {load}")
    if args.quick:
        print("quick mode: the figures prove the suite works; no bar is enforced")
        return 0
    failed = report.failures()
    print(f"{len(failed)} bar(s) missed" if failed else "every bar met")
    return 1 if failed else 0


def _pg_version() -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            return str(conn.scalar(text("SHOW server_version")))
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
