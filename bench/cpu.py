"""Where a run's CPU time went: the server's processes and PostgreSQL's, read from /proc.

On a two-core machine the server, the database server and the load client share the same
cores, so a throughput ratio alone can't say whose work limits it; CPU milliseconds per
request can.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name (state, ppid, …), or None once it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
    return stat.rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User plus system time of one process so far (0 once it has gone)."""
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS if fields else 0.0


def postgres_pids() -> list[int]:
    """Every process of the PostgreSQL server on this machine (backends come and go)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().startswith("postgres"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _total(pids: Iterable[int], before: dict[int, float]) -> float:
    return sum(max(0.0, cpu_seconds(pid) - before.get(pid, 0.0)) for pid in pids)


@dataclass
class Meter:
    """CPU seconds used by ``server`` processes and by PostgreSQL between start and stop."""

    server: list[int]
    server_before: dict[int, float]
    postgres_before: dict[int, float]

    @classmethod
    def start(cls, server: list[int]) -> Meter:
        return cls(
            server,
            {pid: cpu_seconds(pid) for pid in server},
            {pid: cpu_seconds(pid) for pid in postgres_pids()},
        )

    def stop(self) -> tuple[float, float]:
        """(server seconds, PostgreSQL seconds); a backend born meanwhile counts whole."""
        return (
            _total(self.server, self.server_before),
            _total(postgres_pids(), self.postgres_before),
        )
