"""Real processes on one database: exactly one post per schedule per day, even when one dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.slack import outbox
from tests.conftest import TODAY
from tests.digest_support import add_assets, add_channel, digest_rows, digests, sweeper
from tests.helpers import CORA, MEG, ack

ROOT = Path(__file__).resolve().parents[2]


def start(ws: Workspace, clock: FixedClock, mode: str, go: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    args = [
        ws.runtime.settings.database_url,
        ws.fake.api_url,
        ws.fake.bot_token,
        clock.now().isoformat(),
        mode,
        str(go),
    ]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler.sweeper_process", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# Replicas share PostgreSQL; the two-worker `serve` test runs several processes on SQLite.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_processes_post_each_schedule_and_each_dm_once(
    workspace: Workspace, clock: FixedClock, tmp_path: Path
) -> None:
    ack(workspace.command(CORA, "/digest", "schedule 09:00"))
    for channel, name in (("C0LEGAL", "legal"), ("C0MERCH", "merch")):
        link = add_channel(workspace, channel, name)
        ack(workspace.command(CORA, "/digest", f"schedule 08:00 channel:{link}"))
    add_assets(
        workspace,
        {"title": "Late", "due": TODAY - timedelta(days=1), "owner_id": CORA},
        {"title": "Soon", "due": TODAY + timedelta(days=1), "owner_id": MEG},
    )
    for user in (CORA, MEG):
        workspace.command(user, "/digest", "me on")
    go = tmp_path / "go"
    processes = [start(workspace, clock, "sweep", go) for _ in range(3)]
    go.touch()
    outputs = [p.communicate(timeout=60)[0] for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    posted = [line for out in outputs for line in out.splitlines() if line.startswith("posted")]
    assert len(posted) == 5, outputs  # three channels and two people
    for channel in (workspace.channel, "C0LEGAL", "C0MERCH"):
        assert len(digests(workspace, channel)) == 1
    assert len(digests(workspace)) == 5
    assert all(row.sent_at is not None for row in digest_rows(workspace))


def test_a_process_killed_between_saving_and_posting_still_leads_to_one_post(
    workspace: Workspace, clock: FixedClock, tmp_path: Path
) -> None:
    ack(workspace.command(CORA, "/digest", "schedule 09:00"))
    go = tmp_path / "go"
    go.touch()
    doomed = start(workspace, clock, "save-and-die", go)
    output = doomed.communicate(timeout=60)[0]
    assert doomed.returncode == -signal.SIGKILL and "saved C0PRODUCTION: True" in output
    survivor = sweeper(workspace)
    assert survivor.run().lines() == [] and digests(workspace) == []
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert survivor.run().posted
    assert survivor.run().lines() == []
    assert len(digests(workspace)) == 1
