"""Percentiles, medians over runs, and the small records every scenario returns."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    clean = [v for v in values if not math.isnan(v)]
    return statistics.median(clean) if clean else math.nan


@dataclass
class LoadRun:
    """One fixed-count run of the load client: latencies in ms, wall time in s."""

    latencies_ms: list[float]
    elapsed_s: float
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    client_cpu_s: float = 0.0
    timed_out: bool = False

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.count / self.elapsed_s if self.elapsed_s > 0 else math.nan

    def pct(self, p: float) -> float:
        return percentile(self.latencies_ms, p)


@dataclass
class Series:
    """The same measurement repeated: one value per run, summarised by the median."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return median(self.values)

    def spread(self) -> str:
        clean = [v for v in self.values if not math.isnan(v)]
        if not clean:
            return "n/a"
        return f"{min(clean):.3g}–{max(clean):.3g}"


def ratio(value: float, baseline: float) -> float:
    if baseline == 0 or math.isnan(baseline) or math.isnan(value):
        return math.nan
    return value / baseline
