"""A digest sweeper in a process of its own, as a replica would run it (multi-process tests).

python -m tests.scheduler.sweeper_process DATABASE_URL API_URL TOKEN NOW_ISO MODE GO_FILE LEASE_S

MODE ``sweep`` sweeps three times; ``claim-and-die`` claims every due digest, then kills
itself with SIGKILL before posting anything. Each waits for GO_FILE so all start together.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.core.clock import FixedClock
from bot.core.settings import Settings
from bot.digests import claims as digest_delivery
from bot.digests.service import enabled_schedules, is_due
from bot.runtime import Runtime
from bot.scheduler import DigestSweeper, make_digest_client
from bot.storage.db import Database


def main(argv: list[str]) -> int:
    url, api_url, token, now_iso, mode, go, lease_s = argv
    settings = Settings(
        slack_bot_token=token,
        slack_api_url=api_url,
        database_url=url,
        timezone="Europe/London",
    )
    clock = FixedClock(datetime.fromisoformat(now_iso))
    runtime = Runtime(settings=settings, db=Database.from_url(url), clock=clock)
    lease = timedelta(seconds=int(lease_s))
    client = make_digest_client(settings, interval=FixedValueRetryIntervalCalculator(0.01))
    sweeper = DigestSweeper(runtime, client, lease=lease)
    deadline = time.monotonic() + 30
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    if mode == "sweep":
        for _ in range(3):
            for line in sweeper.run().lines():
                print(line, flush=True)
        return 0
    with runtime.db.read() as session:
        schedules = enabled_schedules(session)
    for schedule in schedules:
        day = is_due(schedule.local_time, schedule.timezone, schedule.days, clock.now())
        if day is not None:
            target = digest_delivery.Target(schedule_id=schedule.id)
            held = digest_delivery.claim(
                runtime.db,
                target=target,
                local_date=day,
                worker="doomed",
                now=clock.now(),
                lease=lease,
            )
            print(f"claimed {schedule.channel_id}: {held is not None}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
