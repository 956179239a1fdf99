"""The results: rows of figures, the machine they were measured on, the table and RESULTS.md."""

from __future__ import annotations

import hashlib
import math
import os
import platform
import sqlite3
import sys
import time
import timeit
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ("slack-bolt", "slack-sdk", "SQLAlchemy", "gunicorn", "psycopg", "pydantic")


@dataclass
class Row:
    scenario: str
    backend: str
    metric: str
    value: float
    unit: str
    baseline: float | None = None  # the bare Bolt figure, same unit
    bar: str = ""
    ok: bool | None = None  # None: no bar for this figure
    spread: str = ""  # min–max over the runs
    key: str = ""  # names the figure in the before → after table (bench/writeup.py)
    shown: str = ""  # what the Sleeve column shows, when not the value and its unit

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline or math.isnan(self.baseline):
            return None
        return self.value / self.baseline


VERDICT = {True: "met", False: "missed", None: ""}


def sleeve_cell(row: Row) -> str:
    return row.shown or f"{fmt(row.value, row.unit)} {row.unit}"


def fmt(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit in ("req/s", "statements", "blocks", "chars", "count"):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def loadavg() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def calibrate() -> str:
    """A pure-Python speed figure, to compare this machine (and its load) with others."""
    best = min(timeit.repeat("sum(range(10000))", number=200, repeat=5)) / 200
    return f"{best * 1e6:.0f} µs"


def app_digest() -> str:
    """A fingerprint of the app's sources (bot/**/*.py), to tell which code was measured."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent / "bot"
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@dataclass
class Report:
    mode: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loads: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    postgres_version: str = "not used"

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)

    def mark_load(self, label: str) -> None:
        """Note the load average, and say on stderr how far the run has got."""
        self.loads.append((label, loadavg()))
        elapsed = time.perf_counter() - self.started
        print(f"bench: {elapsed:5.0f} s  {label} (load {loadavg()})", file=sys.stderr, flush=True)

    def machine(self) -> list[tuple[str, str]]:
        return [
            ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("CPU", f"{cpu_model()}, {os.cpu_count()} cores"),
            ("OS", platform.platform()),
            ("Python", platform.python_version()),
            ("packages", ", ".join(f"{name} {_version(name)}" for name in PACKAGES)),
            ("SQLite", sqlite3.sqlite_version),
            ("PostgreSQL", self.postgres_version),
            ("app sources digest (sha256 of the bot package's .py files)", app_digest()),
            ("speed check: `sum(range(10000))`, best of 5", calibrate()),
            ("load average (1, 5, 15 min) at start", self.loads[0][1] if self.loads else "n/a"),
        ]

    def table_lines(self) -> list[str]:
        head = ("scenario", "db", "metric", "Sleeve", "bare Bolt", "ratio", "bar", "verdict")
        body = [
            (
                row.scenario,
                row.backend,
                row.metric,
                sleeve_cell(row),
                f"{fmt(row.baseline, row.unit)} {row.unit}" if row.baseline is not None else "",
                f"{row.ratio:.2f}×" if row.ratio is not None else "",
                row.bar,
                VERDICT[row.ok],
            )
            for row in self.rows
        ]
        widths = [max(len(str(r[i])) for r in [head, *body]) for i in range(len(head))]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
        return lines

    def markdown_table(self) -> list[str]:
        lines = [
            "| scenario | db | metric | Sleeve | bare Bolt | ratio | runs (min–max) | bar | verdict |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in self.rows:
            base = f"{fmt(row.baseline, row.unit)} {row.unit}" if row.baseline is not None else ""
            ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
            verdict = {True: "met", False: "**missed**", None: ""}[row.ok]
            lines.append(
                f"| {row.scenario} | {row.backend} | {row.metric} | "
                f"{sleeve_cell(row)} | {base} | {ratio} | {row.spread} | "
                f"{row.bar} | {verdict} |"
            )
        return lines

    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.ok is False]

    def find(self, backend: str, key: str) -> Row | None:
        return next((r for r in self.rows if r.backend == backend and r.key == key), None)

    def write_markdown(self, path: Path, sections: list[str]) -> None:
        """RESULTS.md: the machine, the results table, the notes, then ``sections``."""
        quick = self.mode == "quick"
        lines = [
            "# Sleeve benchmark results",
            "",
            f"Written by `python -m bench{' --quick' if quick else ''}` ({self.mode} mode"
            f"{'; small counts, no bar is enforced' if quick else ''}), "
            f"in {time.perf_counter() - self.started:.0f} s.",
            "",
            "## Machine",
            "",
            *(f"- **{key}**: {value}" for key, value in self.machine()),
            "",
            "Load average as the run went (anything else running on the machine counts, and "
            "the bench's own servers, client and fake Slack add to it during scenarios 2 and 3; "
            f"a load above the {os.cpu_count()} cores slows every figure, Sleeve's and the "
            "baseline's alike):",
            "",
            *(f"- {label}: {value}" for label, value in self.loads),
            "",
            "## Results",
            "",
            "Medians over the runs; ratios are Sleeve ÷ bare Bolt measured in the same run.",
            "",
            *self.markdown_table(),
            "",
        ]
        if self.notes:
            lines += ["## Notes", "", *(f"- {note}" for note in self.notes), ""]
        for section in sections:
            lines += [section.strip(), ""]
        path.write_text("\n".join(lines))
