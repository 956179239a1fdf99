"""Scenario 5: the memory serve's master and workers hold after scenarios 2 and 3.

The bar is on the summed proportional set size (``Pss`` in ``/proc/<pid>/smaps_rollup``):
each page counted once in all, split between the processes that share it, so the pages a
worker shares with the master by fork are not counted twice. The summed VmRSS, which does
count them once per process, is shown beside it.
"""

from __future__ import annotations

from bench.over_http import Http
from bench.report import Report, Row

PSS_BAR_MB = 160.0


def _mb(kb: dict[int, int]) -> float:
    return sum(kb.values()) / 1024


def scenario_5(http: Http, *, backend: str, big: int, report: Report) -> None:
    pss, rss = http.sleeve.pss_kb(), http.sleeve.rss_kb()
    bare_pss, bare_rss = http.bare.pss_kb(), http.bare.rss_kb()
    total = _mb(pss)
    master = http.sleeve.proc.pid
    parts = ", ".join(
        f"{'master' if pid == master else 'worker'} {kb / 1024:.0f} MB" for pid, kb in pss.items()
    )
    report.add(
        Row(
            "5 memory",
            backend,
            f"serve PSS, master + {len(pss) - 1} workers ({big:,} assets)",
            total,
            "MB",
            baseline=_mb(bare_pss),
            bar=f"< {PSS_BAR_MB:g} MB",
            ok=total < PSS_BAR_MB,
            key="pss",
        )
    )
    report.add(
        Row(
            "5 memory",
            backend,
            "serve VmRSS summed (shared pages once per process)",
            _mb(rss),
            "MB",
            baseline=_mb(bare_rss),
            key="rss",
        )
    )
    report.note(
        f"Scenario 5 ({backend}): PSS per process: {parts}; total {total:.0f} MB. Bare Bolt "
        f"under the same gunicorn: PSS {_mb(bare_pss):.0f} MB, VmRSS {_mb(bare_rss):.0f} MB."
    )
