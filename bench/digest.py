"""Scenario 4: building the channel digest (queries and Block Kit) at two data sizes.

The build is timed at both sizes, and every statement it sends is counted at both with a
``before_cursor_execute`` listener: equal counts mean the queries don't grow with the data.
The digest's modules are imported lazily: if they move, the scenario reports "not available"
instead of failing the run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, event

from bench.report import Report, Row
from bench.stats import Series
from bot.storage.db import Database

BAR_MS = 250.0
MAX_BLOCKS = 50  # Slack's own limits, checked here besides the app's limits module
MAX_SECTION_TEXT = 3000


@dataclass(frozen=True)
class Builder:
    build: Callable[..., Any]
    render: Callable[[Any], tuple[str, list[dict[str, Any]]]]
    problems: Callable[..., list[Any]]


@dataclass(frozen=True)
class DigestMeasure:
    build_ms: Series
    query_ms: Series
    queries: int  # every statement one build sends
    blocks: int
    text_chars: int
    json_bytes: int
    problems: list[str]
    sections: dict[str, int]


def builder() -> Builder | None:
    """The digest builder, or None when the feature is not there yet."""
    try:
        from bot.digests.content import build_digest
        from bot.digests.messages import channel_digest
        from bot.slack.limits import message_problems
    except ImportError:
        return None
    return Builder(build=build_digest, render=channel_digest, problems=message_problems)


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile (BEGIN and the like included)."""
    seen: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _own_problems(text: str, blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    if len(blocks) > MAX_BLOCKS:
        found.append(f"{len(blocks)} blocks")
    for block in blocks:
        body = (block.get("text") or {}).get("text", "")
        if block.get("type") == "section" and len(body) > MAX_SECTION_TEXT:
            found.append(f"a section of {len(body)} characters")
    return found


def measure(db: Database, found: Builder, *, day: date, now: datetime, runs: int) -> DigestMeasure:
    build_ms, query_ms = Series(), Series()
    text, blocks, content = "", [], None
    for i in range(runs + 1):  # the first builds caches and is not counted
        start = time.perf_counter()
        with db.read() as session:
            content = found.build(session, day=day, now=now)
        queried = time.perf_counter()
        text, blocks = found.render(content)
        done = time.perf_counter()
        if i > 0:
            build_ms.add((done - start) * 1000)
            query_ms.add((queried - start) * 1000)
    with counting(db.engine) as statements, db.read() as session:
        found.build(session, day=day, now=now)
    problems = [str(p) for p in found.problems(text=text, blocks=blocks)]
    problems += _own_problems(text, blocks)
    sections = {
        name: getattr(getattr(content, name, None), "total", 0)
        for name in ("overdue", "due_soon", "waiting")
    }
    return DigestMeasure(
        build_ms=build_ms,
        query_ms=query_ms,
        queries=len(statements),
        blocks=len(blocks),
        text_chars=len(text) + sum(len(json.dumps(b)) for b in blocks),
        json_bytes=len(json.dumps({"text": text, "blocks": blocks}).encode()),
        problems=problems,
        sections=sections,
    )


def record(
    report: Report,
    *,
    backend: str,
    small: DigestMeasure | None,
    big: DigestMeasure | None,
    sizes: tuple[int, int],
) -> None:
    scenario = "4 digest"
    if small is None or big is None:
        report.add(Row(scenario, backend, "digest builder not available", float("nan"), ""))
        report.note(
            "Scenario 4: bot.digests.content / bot.digests.messages could not be imported, "
            "so the digest was not measured."
        )
        return
    report.add(
        Row(
            scenario,
            backend,
            f"build at {sizes[1]:,} assets (queries + Block Kit)",
            big.build_ms.median,
            "ms",
            bar=f"< {BAR_MS:g} ms",
            ok=big.build_ms.median < BAR_MS,
            spread=big.build_ms.spread(),
            key="digest_ms",
        )
    )
    report.add(
        Row(
            scenario,
            backend,
            "of which queries",
            big.query_ms.median,
            "ms",
            spread=big.query_ms.spread(),
        )
    )
    report.add(
        Row(
            scenario,
            backend,
            f"SQL statements a build at {sizes[0]:,} → {sizes[1]:,} assets",
            big.queries,
            "statements",
            bar="equal at both sizes",
            ok=big.queries == small.queries,
            key="digest_queries",
            shown=f"{small.queries} → {big.queries} statements",
        )
    )
    _record_message(report, backend, small=small, big=big, sizes=sizes)


def _record_message(
    report: Report,
    backend: str,
    *,
    small: DigestMeasure,
    big: DigestMeasure,
    sizes: tuple[int, int],
) -> None:
    """The message's size against Slack's limits, and what the digest covered."""
    report.add(
        Row(
            "4 digest",
            backend,
            f"Block Kit: {big.blocks} blocks, {big.json_bytes:,} bytes",
            len(big.problems),
            "count",
            bar="0 limit problems",
            ok=not big.problems,
        )
    )
    if big.problems:
        report.note(f"Scenario 4 ({backend}): Block Kit problems: {'; '.join(big.problems[:5])}")
    report.note(
        f"Scenario 4 ({backend}): the digest at {sizes[1]:,} assets covered "
        + ", ".join(f"{name} {total:,}" for name, total in big.sections.items())
        + f"; at {sizes[0]:,}: "
        + ", ".join(f"{name} {total:,}" for name, total in small.sections.items())
        + f"; build at {sizes[0]:,} took {small.build_ms.median:.1f} ms."
    )
