"""`serve` schedules digests in each gunicorn worker; the database lets one of them post."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import add_due_digests, digest_posts, start_serve, wait_healthy


# SQLite: several processes on one file (the three-process test runs on PostgreSQL).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_workers_post_a_due_digest_once_and_exit_cleanly_on_sigterm(
    fake: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    add_due_digests(database_url, ("C0PRODUCTION",))
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
