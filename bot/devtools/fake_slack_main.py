"""`python -m bot.devtools.fake_slack_main`: serve a fake Slack Web API until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from bot.devtools.fake_slack import FakeSlack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a fake Slack Web API locally.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default="xoxb-fake-token")
    parser.add_argument("--user", action="append", default=[], metavar="ID=NAME")
    parser.add_argument("--channel", action="append", default=[], metavar="ID=NAME")
    args = parser.parse_args(argv)
    fake = FakeSlack(bot_token=args.token, port=args.port)
    for spec in args.user:
        user_id, _, name = spec.partition("=")
        fake.add_user(user_id, name or user_id)
    for spec in args.channel:
        channel_id, _, name = spec.partition("=")
        fake.add_channel(channel_id, name or channel_id)
    # SIGTERM (how test harnesses stop it) ends the process as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with fake:
        print(fake.api_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
