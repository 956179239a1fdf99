"""``python -m bench.imports``: the resident set a `serve` process holds before any data.

Imports the modules a worker loads, in layers (what bare Bolt under gunicorn needs first,
then what Sleeve adds), each in a fresh interpreter, and prints VmRSS after each layer.
Scenario 5's bar is on the sum over serve's master and workers, so every layer here counts
once per process.
"""

from __future__ import annotations

import subprocess
import sys

from bench.servers import REPO, base_env

# Cumulative: each layer imports its modules on top of the previous ones.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Python", ()),
    ("gunicorn gthread (with ssl)", ("gunicorn.app.base", "gunicorn.workers.gthread")),
    ("slack_sdk and slack_bolt", ("slack_sdk", "slack_bolt", "slack_bolt.adapter.wsgi")),
    ("SQLAlchemy (Core and ORM)", ("sqlalchemy", "sqlalchemy.orm")),
    ("pydantic and pydantic-settings", ("pydantic", "pydantic_settings")),
    ("APScheduler and PyYAML", ("apscheduler.schedulers.background", "yaml")),
    ("Sleeve (bot.cli and what serve imports)", ("bot.cli", "bot.app", "bot.server")),
)

_PROBE = """
import importlib, sys
def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
for name in sys.argv[1:]:
    importlib.import_module(name)
print(rss())
"""


def rss_after(modules: list[str]) -> float:
    """MB resident in a fresh interpreter after importing ``modules``."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *modules],
        env=base_env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip()) / 1024


def layers() -> list[tuple[str, float]]:
    modules: list[str] = []
    found = []
    for label, names in LAYERS:
        modules.extend(names)
        # The median of three fresh interpreters: the first may also compile bytecode.
        found.append((label, sorted(rss_after(modules) for _ in range(3))[1]))
    return found


def main() -> int:
    previous = 0.0
    for label, mb in layers():
        print(f"{label:45s} +{mb - previous:5.1f} MB = {mb:5.1f} MB")
        previous = mb
    return 0


if __name__ == "__main__":
    sys.exit(main())
