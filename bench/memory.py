"""Scenario 5: the resident set of serve's master and workers after scenarios 2 and 3."""

from __future__ import annotations

from bench.over_http import Http
from bench.report import Report, Row

RSS_BAR_MB = 150.0


def scenario_5(http: Http, *, backend: str, big: int, report: Report) -> None:
    rss, pss = http.sleeve.rss_kb(), http.sleeve.pss_kb()
    bare_rss = http.bare.rss_kb()
    total = sum(rss.values()) / 1024
    master = http.sleeve.proc.pid
    parts = ", ".join(
        f"{'master' if pid == master else 'worker'} {kb / 1024:.0f} MB" for pid, kb in rss.items()
    )
    report.add(
        Row(
            "5 memory",
            backend,
            f"serve RSS, master + {len(rss) - 1} workers ({big:,} assets)",
            total,
            "MB",
            baseline=sum(bare_rss.values()) / 1024,
            bar=f"< {RSS_BAR_MB:g} MB total",
            ok=total < RSS_BAR_MB,
        )
    )
    report.add(
        Row(
            "5 memory",
            backend,
            "serve PSS (shared pages split), master + workers",
            sum(pss.values()) / 1024,
            "MB",
            baseline=sum(http.bare.pss_kb().values()) / 1024,
        )
    )
    report.note(
        f"Scenario 5 ({backend}): VmRSS per process: {parts}; total {total:.0f} MB (the bar is "
        f"on this sum, which counts pages shared by fork once per process). Proportional set "
        f"size (shared pages split): {sum(pss.values()) / 1024:.0f} MB. Bare Bolt under the "
        f"same gunicorn: {sum(bare_rss.values()) / 1024:.0f} MB."
    )
