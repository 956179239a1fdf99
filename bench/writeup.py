"""The prose of RESULTS.md: the bars, how each figure is measured, what is not measured yet,
what still holds from the earlier rounds, and the before → after table against the last full
run published before the restructure."""

from __future__ import annotations

from dataclasses import dataclass

from bench.report import Report, fmt

BARS = """
## Bars

What a user of Sleeve feels, each printed as met or missed above (the full run only enforces
them; `--quick` prints them with small counts):

1. **Dispatch overhead**: Sleeve's in-process dispatch of `/asset show` and `/asset list`
   costs at most 1 ms more than bare Bolt's (p50 − p50, same run).
2. **Acks over HTTP at 8 clients**: `/asset show` ≥ 0.35×, `/asset list` ≥ 0.25× and an
   approve click's ack ≥ 0.25× of bare Bolt's throughput in the same run; p99 < 50 ms each.
3. **Slow Slack**: `/asset new` ack p99 < 100 ms while the fake Slack answers every Web API
   call 2 s late ("Slack +2 s").
4. **Digest**: built at 100,000 assets in < 250 ms, with the same number of SQL statements
   at 10,000 and at 100,000 assets.
5. **Memory**: summed PSS of `serve`'s master and workers < 160 MB after the scenarios.

6. **DM fan-out**: a personal digest to each of 300 subscribers, swept by two sweepers at
   once against a fake Slack that answers 429 to a second chat.postMessage within a second
   in one channel: none lost, none sent twice, under 5 % of the calls answered 429.

7. **Proofs**: preflight (with its preview) of a 24-page CD booklet PDF at 300 ppi CMYK in
   < 5 s and of a 12" jacket TIFF (3,788 px CMYK) in < 2 s, each adding < 300 MB to its
   process at peak; the copy check adds < 1 s to the booklet; while four booklets are
   preflighted by `serve`'s worker processes, `/asset list` acks keep p99 < 100 ms.

8. **App Home**: one approver's Home (200 assets, 50 rounds waiting on them) built in
   < 50 ms with the same statements whatever the counts (`bench/home.py`, a database of its
   own per backend); 100 Approve clicks on that Home within a second or two redraw it no
   closer than 0.95 s apart, the last redraw showing nothing left waiting.
"""

METHOD = """
## Method

Everything runs on this one machine, over loopback. The baseline is a bare slack-bolt `App`
(`bench/bare.py`): the same signing secret, `process_before_response=True`, request
verification on, token verification against the same fake Slack, one listener per command
that calls `ack()` and nothing else. It is measured in the same run as Sleeve, interleaved run
by run, so a busy machine slows both alike.

- **Data**: bulk-loaded with SQLAlchemy Core `insert()` in batches of 5,000 (`bench/data.py`),
  never through the commands: releases (8 assets each, 60 % of assets), assets (10 % overdue,
  2 % in review with a pending round, the rest done, active, on hold or cancelled), one audit
  entry an asset, approval rounds. PostgreSQL gets `ANALYZE` after loading (as autovacuum
  would); SQLite does not (the app never runs it). Each backend gets a database of its own: a
  SQLite file in a temporary folder, a PostgreSQL schema `bench_<pid>_…`, dropped afterwards.
- **1 (dispatch)**: the demo workspace (`bot.devtools.workspace.Workspace`, fake Slack
  in-process) with the small data set. Each iteration dispatches a freshly signed
  `/asset show A-<random>` to the bare app, then `/asset show A-<random>` and `/asset list` to
  Sleeve, timing `app.dispatch(BoltRequest(...))` only; Sleeve's after-ack work is waited for
  between iterations, untimed. A run's overhead is Sleeve's p50 minus bare Bolt's p50 of that
  run; the median over the runs is reported.
- **2 (HTTP)**: `python -m bot serve --workers 2 --threads 8` (gunicorn gthread) and the bare
  app under a gunicorn of the same configuration, with the fake Slack in a third process
  (`bench/fake_proc.py`). The load client (`bench/loadgen.py`) runs 8 threads, each with one
  keep-alive connection, sending pre-signed requests (a fixed count, with a time limit);
  latency is from the first byte sent to the last byte read. Runs go bare → `/asset show`
  (random assets) → `/asset list` → approve clicks, repeated. Each click presses Approve on a
  different pending step of a round posted to the fake Slack with Sleeve's own message
  builder, as a member of that department, so each records a decision and redraws the
  message after the ack; the bars are on the acks, and "decided" counts until the last
  decision is in the database. Clicked steps are reset between runs.
- **3 (slow Slack)**: the same servers; the fake Slack sleeps before answering every Web API
  call; 8 clients send `/asset new "…" kind:poster due:+7d` (which posts the asset's card
  after the ack); ack latency is measured, then the cards are counted as they land.
- **4 (digest)**: `build_digest` (its queries) plus `channel_digest` (Block Kit) in one read
  transaction, timed at the small and the large size (the first build of each is not
  counted); every statement one build sends is counted with a SQLAlchemy
  `before_cursor_execute` listener at both sizes. The message is checked with the app's
  `bot.slack.limits.message_problems` and against 50 blocks / 3,000 characters a section.
- **5 (memory)**: `Pss` from `/proc/<pid>/smaps_rollup` of serve's master and each worker,
  summed, after scenarios 2 and 3 with the large data set loaded; summed VmRSS beside it.
- **6 (DM fan-out)**: the demo workspace on the large data set, its clock on a Monday at
  10:00, 300 more people each owning an asset due in two days and subscribed to the personal
  digest; the fake Slack's per-channel limit on (`limit_posts_per_channel(1.0)`) and the
  production pacing (one post a second per channel). Two `DigestSweeper`s run in two threads
  at once. Lost and doubled are counted from the DMs the fake Slack holds (by the digest's
  metadata marker); the 429 share from its record of chat.postMessage calls.
"""

CARRIED_OVER = """
## Still true from the earlier rounds

The earlier rounds' profiles were mostly about machinery the restructure removed; what still
describes the code measured here:

- `/asset list` walks the `(due, id)` index (migration 0007) instead of sorting every asset,
  and its count stops at a cap ("of 1000+") inside the page's own statement: before that,
  `/asset list` at 100,000 assets over HTTP ran at 10 req/s with a p99 of 898 ms.
- SQLite writers queue on a thread lock plus `flock` beside the database before
  `BEGIN IMMEDIATE`, instead of SQLite's polling busy handler: the slow-Slack ack p99 on
  SQLite fell from 892 to 45 ms with it.
- Summed VmRSS counts every page a worker shares with the master by fork once per process:
  bare Bolt under the same gunicorn already sums to about 89 MB, and the stack's imports up
  to SQLAlchemy to about 150 MB over three processes, before any of Sleeve's code. PSS splits
  shared pages between their sharers, which is why the memory bar is on PSS.
- `PRAGMA mmap_size` of 256 MB was measured and not adopted: it raised SQLite `/asset show`
  by about a quarter but mapped the whole database into every worker (summed VmRSS 228 →
  532 MB).
"""


@dataclass(frozen=True)
class Before:
    key: str
    label: str
    unit: str  # "×" compares the ratio to bare Bolt, else the value itself
    sqlite: float
    postgresql: float


# The last full run published before the restructure (bench/RESULTS.md, 2026-11-26, 2 cores,
# load 0.5–4.8); its bars were different, so only the figures are compared.
PREVIOUS = (
    Before("show_overhead", "1 `/asset show` dispatch overhead", "ms", 0.110, 0.275),
    Before("list_overhead", "1 `/asset list` dispatch overhead", "ms", 0.229, 0.491),
    Before("bare_throughput", "2 bare Bolt throughput", "req/s", 7521, 7404),
    Before("show_throughput", "2 `/asset show` throughput ÷ bare", "×", 0.52, 0.30),
    Before("show_p99", "2 `/asset show` p99", "ms", 8.12, 9.96),
    Before("list_throughput", "2 `/asset list` throughput ÷ bare", "×", 0.41, 0.25),
    Before("list_p99", "2 `/asset list` p99", "ms", 9.78, 11.5),
    Before("click_throughput", "2 approve click acks ÷ bare", "×", 0.49, 0.52),
    Before("click_p99", "2 approve click ack p99", "ms", 8.27, 7.35),
    Before("decided", "2 approve clicks decided", "req/s", 221, 202),
    Before("slow_p50", "3 `/asset new` ack p50, Slack +2 s", "ms", 13.9, 14.4),
    Before("slow_p99", "3 `/asset new` ack p99, Slack +2 s", "ms", 39.1, 30.2),
    Before("digest_ms", "4 digest build at 100,000 assets", "ms", 51.0, 59.7),
    Before("pss", "5 serve PSS, master + 2 workers", "MB", 147, 145),
    Before("rss", "5 serve VmRSS summed", "MB", 235, 243),
)


def before_after(report: Report) -> str:
    """The figures both runs have, before (the old full run) → after (this run)."""
    lines = [
        "## Before → after",
        "",
        "Before: the last full run published before the restructure (same machine type, its "
        "own bars, with the speed machinery since removed: acks-first waiting, the decision "
        "semaphore, compiled reads, `read_connection`, socket polling, `gc.freeze`/`mallopt`). "
        "After: this run. Throughputs are compared as ratios to bare Bolt of the same run; "
        "the digest ran 4 SELECTs at both sizes before (only SELECTs were counted then; "
        "every statement is now).",
        "",
        "| figure | db | before | after |",
        "|---|---|---|---|",
    ]
    for before in PREVIOUS:
        for backend in ("sqlite", "postgresql"):
            row = report.find(backend, before.key)
            if row is None:
                continue
            value = row.ratio if before.unit == "×" else row.value
            old = getattr(before, backend)
            if before.unit == "×":
                after = f"{value:.2f}×" if value is not None else "n/a"
                then = f"{old:.2f}×"
            else:
                after = f"{fmt(value, before.unit)} {before.unit}"
                then = f"{fmt(old, before.unit)} {before.unit}"
            lines.append(f"| {before.label} | {backend} | {then} | {after} |")
    return "\n".join(lines)


def sections(report: Report) -> list[str]:
    return [BARS, before_after(report), CARRIED_OVER, METHOD]
