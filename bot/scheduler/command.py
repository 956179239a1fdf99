"""`python -m bot digest [--channel C] [--force]`: the sweep once, from a shell or cron."""

from __future__ import annotations

import sys
from datetime import timedelta
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
    from bot.digests import claims as digest_delivery
    from bot.scheduler.client import make_digest_client
    from bot.scheduler.sweep import DigestSweeper

    runtime = open_runtime(settings)
    try:
        sweeper = DigestSweeper(runtime, make_digest_client(settings))
        report = sweeper.force(channel) if force and channel else sweeper.run(channel_id=channel)
        for line in report.lines():
            print(line, file=out)
        if not report.lines():
            print("nothing due", file=out)
        with runtime.db.read() as session:
            # Earlier runs' doubtful posts stay listed until someone checks the channel.
            stuck = digest_delivery.uncertain(
                session,
                now=runtime.now(),
                lease=sweeper.lease,
                since=runtime.today() - timedelta(days=1),
            )
            for claim in stuck:
                target = claim.channel_id or claim.user_id or f"schedule {claim.schedule_id}"
                print(
                    f"check {target} {claim.local_date.isoformat()}: {claim.last_error or 'sending'}"
                    " — Slack may have it; if not, post it with --force",
                    file=out,
                )
        return EXIT_FAILED if report.failed or report.uncertain else 0
    finally:
        runtime.db.dispose()
