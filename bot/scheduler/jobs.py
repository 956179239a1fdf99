"""APScheduler 3 wiring: one in-memory job that sweeps at start-up and at every minute.

Each process runs its own BackgroundScheduler with a MemoryJobStore. A job store shared
between processes would run jobs twice, and APScheduler's misfire grace would silently
skip a run missed during a restart; neither matters here, because the job only asks the
sweep to look, and the sweep asks the database (the outbox's digest keys) whether to post.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.scheduler.sweep import DigestSweeper, SweepReport
from bot.storage import replays

logger = logging.getLogger("sleeve.digests")
JOB_ID = "digest-sweep"
OUTBOX_DRAIN_SECONDS = 5
REMINDER_SECONDS = 600
PRUNE_SECONDS = 300
PREFLIGHT_SWEEP_SECONDS = 60
# Bolt refuses requests signed more than 5 minutes ago; a replay can't be older than that.
SEEN_REQUESTS_KEPT = timedelta(minutes=10)


def _logged(job_id: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:
            logger.exception("%s failed; it runs again shortly", job_id)

    return run


class DigestScheduler:
    def __init__(self, runtime: Runtime, client: WebClient) -> None:
        self.sweeper = DigestSweeper(runtime, client)
        self._scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            # A late or skipped run is harmless: the next sweep catches up from the database.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 50},
            timezone=UTC,
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> DigestScheduler:
        apscheduler_logger = logging.getLogger("apscheduler")
        if apscheduler_logger.level == logging.NOTSET:
            # "Running job …" every minute would drown the app's own log lines.
            apscheduler_logger.setLevel(logging.WARNING)
        self._scheduler.add_job(
            self.sweep,
            CronTrigger(second=0, timezone=UTC),
            id=JOB_ID,
            next_run_time=datetime.now(UTC),  # the start-up sweep: catch up after downtime
            replace_existing=True,
        )
        self._scheduler.start()
        logger.info("digest scheduler started")
        return self

    def sweep(self) -> SweepReport | None:
        try:
            return self.sweeper.run()
        except Exception:
            # The next minute tries again; a crash here must not stop the scheduler.
            logger.exception("digest sweep failed")
            return None

    def keep_house(self) -> DigestScheduler:
        """Also send outbox rows other processes left behind, approval reminders, start
        preflights no process is working on, and forget requests too old to be replayed."""
        runtime, client = self.sweeper.runtime, self.sweeper.client
        from bot.approvals.flow import send_reminders
        from bot.proofs.runner import sweep as preflight_sweep
        from bot.slack.delivery import drain

        jobs = (
            ("outbox-drain", OUTBOX_DRAIN_SECONDS, lambda: drain(runtime, client)),
            ("approval-reminders", REMINDER_SECONDS, lambda: send_reminders(runtime, client)),
            ("seen-requests-prune", PRUNE_SECONDS, lambda: _prune_seen(runtime)),
            ("preflight-sweep", PREFLIGHT_SWEEP_SECONDS, lambda: preflight_sweep(runtime, client)),
        )
        for job_id, seconds, job in jobs:
            self._scheduler.add_job(
                _logged(job_id, job),
                "interval",
                seconds=seconds,
                id=job_id,
                replace_existing=True,
                next_run_time=datetime.now(UTC) + timedelta(seconds=seconds),
            )
        return self

    def stop(self, *, wait: bool = True) -> None:
        """Stop scheduling; with ``wait``, let a sweep that is posting finish first."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)
            logger.info("digest scheduler stopped")


def _prune_seen(runtime: Runtime) -> int:
    with runtime.db.write() as session:
        return replays.forget_before(session, runtime.now() - SEEN_REQUESTS_KEPT)
