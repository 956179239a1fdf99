"""`python -m bot shell`: one session of the shell, from start-up to quit.

The demo workspace lives in a SQLite file; the fake Slack starts empty each session, so the
cards and open rounds the database remembers are put back, and the clock carries on from
where the last session moved it.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from bot.core.clock import ShiftedClock
from bot.devtools import demo
from bot.devtools.restore import restore_posts
from bot.devtools.shell import PROMPT_HELP, Shell
from bot.devtools.workspace import Workspace


def _saved_offset(clock_file: Path) -> timedelta:
    """How far an earlier session moved the clock (`clock +1d`), so digests stay in order."""
    try:
        return timedelta(seconds=float(clock_file.read_text().strip()))
    except (OSError, ValueError):
        return timedelta(0)


def run_shell(*, db_path: str, fresh: bool) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    path = Path(db_path)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    clock_file = Path(str(path) + ".clock")
    if fresh:
        clock_file.unlink(missing_ok=True)
    clock = ShiftedClock(_saved_offset(clock_file))
    workspace = Workspace.start(
        database_url=f"sqlite:///{path}",
        clock=clock,
        fake_ts_base=time.time(),  # later than any ts an earlier session stored
        timezone=os.environ.get("SLEEVE_TIMEZONE", "Europe/London"),
    )
    restored = restore_posts(workspace)
    shell = Shell(workspace, clock, sys.stdout)
    shell.mark_seen()
    shell.clock_file = clock_file
    from bot.scheduler import DigestScheduler

    digests = DigestScheduler(workspace.runtime, workspace.app.client).start()
    try:
        shell.say(
            f'Sleeve shell — demo workspace "{demo.TEAM_NAME}", database {path}, '
            f"time zone {workspace.runtime.tz.key} (SLEEVE_TIMEZONE)"
        )
        if restored:
            shell.say(
                f"{restored} cards and open rounds from earlier sessions: `thread A-3` shows one."
            )
        shell.say(
            f"You are @{shell.user.name} (coordinator) in #{demo.PRODUCTION_NAME}. " + PROMPT_HELP
        )
        interactive = sys.stdin.isatty()
        if interactive:
            import readline  # noqa: F401  (line editing and history for input())
        shell.run(sys.stdin, interactive=interactive)
    except KeyboardInterrupt:
        shell.say("\nBye.")
    finally:
        digests.stop()
        workspace.close()
    return 0
