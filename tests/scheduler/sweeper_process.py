"""A digest sweeper in a process of its own, as a replica would run it (multi-process tests).

python -m tests.scheduler.sweeper_process DATABASE_URL API_URL TOKEN NOW_ISO MODE GO_FILE

MODE ``sweep`` sweeps three times; ``save-and-die`` saves every due digest's outbox row,
claimed, then kills itself with SIGKILL before posting anything. Each waits for GO_FILE so
all start together.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.core.clock import FixedClock
from bot.core.settings import Settings
from bot.digests.content import build_digest
from bot.digests.outgoing import channel_key, channel_post
from bot.digests.service import enabled_schedules, is_due
from bot.runtime import Runtime
from bot.scheduler import DigestSweeper
from bot.slack.client import client_for
from bot.slack.delivery import hold
from bot.storage.db import Database


def main(argv: list[str]) -> int:
    url, api_url, token, now_iso, mode, go = argv
    settings = Settings(
        slack_bot_token=token,
        slack_api_url=api_url,
        database_url=url,
        timezone="Europe/London",
    )
    clock = FixedClock(datetime.fromisoformat(now_iso))
    runtime = Runtime(settings=settings, db=Database.from_url(url), clock=clock)
    client = client_for(settings, interval=FixedValueRetryIntervalCalculator(0.01))
    sweeper = DigestSweeper(runtime, client)
    deadline = time.monotonic() + 30
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    if mode == "sweep":
        for _ in range(3):
            for line in sweeper.run().lines():
                print(line, flush=True)
        return 0
    with runtime.db.write() as session:
        for schedule in enabled_schedules(session):
            day = is_due(schedule.local_time, schedule.timezone, schedule.days, clock.now())
            if day is not None:
                key = channel_key(schedule.id, day)
                content = build_digest(session, day=day, now=clock.now())
                post = channel_post(schedule.channel_id, content, key=key)
                held = hold(runtime, session, [post], key=key)
                print(f"saved {schedule.channel_id}: {held.entry_id is not None}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
