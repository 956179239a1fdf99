"""`python -m bot digest [--channel C] [--force]`: the sweep once, from a shell or cron."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.core.settings import Settings

EXIT_FAILED = 1
EXIT_USAGE = 2


def run_digest(settings: Settings, *, channel: str | None, force: bool, out: TextIO) -> int:
    """Post the digests due now (all of them, or one channel's); 1 when one could not be."""
    if force and not channel:
        print("sleeve: --force needs --channel C0123ABCD (the channel's id)", file=sys.stderr)
        return EXIT_USAGE
    settings.require("slack_bot_token")
    from bot.bootstrap import open_runtime
    from bot.scheduler.sweep import DigestSweeper, uncertain_lines
    from bot.slack.client import client_for

    runtime = open_runtime(settings)
    try:
        sweeper = DigestSweeper(runtime, client_for(settings))
        report = sweeper.force(channel) if force and channel else sweeper.run(channel_id=channel)
        for line in report.lines():
            print(line, file=out)
        if not report.lines():
            print("nothing due", file=out)
        # Earlier runs' doubtful posts stay listed until someone checks the conversation.
        for line in uncertain_lines(runtime):
            print(line, file=out)
        return EXIT_FAILED if report.failed or report.uncertain else 0
    finally:
        runtime.db.dispose()
