"""The APScheduler job: an in-memory store, a sweep at start-up, a clean stop."""

from __future__ import annotations

import logging
import time

import pytest

from bot.core.settings import Settings
from bot.devtools.workspace import Workspace
from bot.runtime import Runtime
from bot.scheduler import DigestScheduler
from bot.scheduler.jobs import JOB_ID
from bot.slack.client import client_for
from bot.storage.db import Database
from tests.digest_support import FAST_RETRY, digests
from tests.helpers import CORA, ack


def wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_the_scheduler_sweeps_at_start_up_then_every_minute_and_stops_cleanly(
    workspace: Workspace,
) -> None:
    ack(workspace.command(CORA, "/digest", "schedule 09:00"))  # 10:00 now: due
    client = client_for(workspace.runtime.settings, interval=FAST_RETRY)
    scheduler = DigestScheduler(workspace.runtime, client).start()
    try:
        assert wait_for(lambda: len(digests(workspace)) == 1)
        (job,) = scheduler._scheduler.get_jobs()
        assert job.id == JOB_ID and "second='0'" in str(job.trigger)
        assert scheduler.sweep() is not None  # a later minute: nothing more to post
    finally:
        scheduler.stop()
    assert not scheduler.running
    assert len(digests(workspace)) == 1
    scheduler.stop()  # stopping twice is harmless


def test_a_failing_sweep_is_logged_and_the_scheduler_carries_on(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = Runtime(
        settings=Settings(slack_bot_token="xoxb-1"), db=Database.from_url("sqlite://")
    )
    scheduler = DigestScheduler(runtime, client_for(runtime.settings))

    def boom(**_kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler.sweeper, "run", boom)
    with caplog.at_level(logging.ERROR, logger="sleeve.digests"):
        assert scheduler.sweep() is None
    assert "digest sweep failed" in caplog.text
