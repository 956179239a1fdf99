"""`python -m bot digest [--channel C] [--force]`, as cron runs it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.core.settings import Settings
from bot.devtools.workspace import Workspace
from bot.scheduler.command import run_digest
from bot.storage.digest_models import DigestSchedule
from tests.digest_support import digests
from tests.helpers import CORA


def midnight_schedule(ws: Workspace) -> None:
    """A schedule that is due whenever the test runs (the CLI reads the real clock)."""
    now = datetime.now(UTC)
    with ws.runtime.db.write() as session:
        session.add(
            DigestSchedule(
                channel_id=ws.channel,
                local_time=time(0, 0),
                timezone="UTC",
                days="daily",
                enabled=True,
                created_by=CORA,
                created_at=now,
                updated_by=CORA,
                updated_at=now,
            )
        )


def test_digest_posts_what_is_due_once_and_force_posts_an_extra_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    midnight_schedule(workspace)
    settings = workspace.runtime.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    env |= {
        "SLACK_BOT_TOKEN": workspace.fake.bot_token,
        "SLACK_API_URL": workspace.fake.api_url,
        "DATABASE_URL": settings.database_url,
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "digest"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    today = datetime.now(UTC).date().isoformat()
    assert result.stdout.startswith(f"posted {workspace.channel} {today} ts ")
    out = io.StringIO()
    assert run_digest(settings, channel=None, force=False, out=out) == 0
    assert out.getvalue() == "nothing due\n"
    out = io.StringIO()
    assert run_digest(settings, channel=workspace.channel, force=True, out=out) == 0
    assert out.getvalue().startswith(f"posted {workspace.channel} {today} (forced) ts ")
    assert len(digests(workspace, workspace.channel)) == 2


def test_force_needs_a_channel(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(slack_bot_token="xoxb-1", database_url="sqlite:///unused.db")
    assert run_digest(settings, channel=None, force=True, out=io.StringIO()) == 2
    assert capsys.readouterr().err.strip() == (
        "sleeve: --force needs --channel C0123ABCD (the channel's id)"
    )
