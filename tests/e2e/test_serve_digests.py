"""`serve` schedules digests in each gunicorn worker; the database lets one of them post."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

import pytest

from bot.devtools.fake_slack import FakeSlack
from bot.scheduler.sweep import EVENT_TYPE
from bot.storage.db import Database
from bot.storage.digest_models import DigestSchedule
from bot.storage.migrate import upgrade
from tests.e2e.support import start_serve, wait_healthy


def digest_posts(fake: FakeSlack) -> list[str]:
    return [
        m.ts
        for m in fake.messages()
        if isinstance(m.metadata, dict) and m.metadata.get("event_type") == EVENT_TYPE
    ]


# SQLite: several processes on one file (the three-process test runs on PostgreSQL).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_workers_post_a_due_digest_once_and_exit_cleanly_on_sigterm(
    fake: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    db = Database.from_url(database_url)
    upgrade(db)
    now = datetime.now(UTC)
    with db.write() as session:
        # Due whenever the test runs: serve reads the real clock.
        session.add(
            DigestSchedule(
                channel_id="C0PRODUCTION",
                local_time=clock_time(0, 0),
                timezone="UTC",
                days="daily",
                enabled=True,
                created_by="U0CORA",
                created_at=now,
                updated_by="U0CORA",
                updated_at=now,
            )
        )
    db.dispose()
    process, port = start_serve(fake, database_url, tmp_path)
    try:
        wait_healthy(port, process)
        deadline = time.monotonic() + 20
        while not digest_posts(fake) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the other worker's start-up sweep has had its chance too
        assert len(digest_posts(fake)) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output
