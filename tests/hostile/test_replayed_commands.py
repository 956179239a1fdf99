"""A slash command replayed byte for byte (same body, same signature, within Bolt's five
minutes) runs once; typing the same command again runs again; reads may repeat."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from bot.core.clock import FixedClock
from bot.devtools.driver import signed_headers
from bot.devtools.workspace import Workspace
from bot.scheduler.jobs import SEEN_REQUESTS_KEPT, _prune_seen
from bot.storage.asset_models import Asset
from bot.storage.replay_models import SeenRequest
from tests.helpers import CORA, ack


def assets(ws: Workspace) -> int:
    with ws.runtime.db.read() as session:
        return session.scalar(select(func.count()).select_from(Asset)) or 0


def replay(ws: Workspace, text: str, times: int = 3) -> list[str]:
    body = ws.driver.command_body(CORA, "/asset", text, ws.channel)
    headers = signed_headers(ws.driver.secret, body)
    answers = []
    for _ in range(times):
        response = ws.driver.dispatch(body, headers=headers)
        assert response.status == 200
        answers.append(json.loads(response.body)["text"])
        ws.settle()
    return answers


def test_a_replayed_change_runs_once_and_the_replays_are_told_why(workspace: Workspace) -> None:
    first, *again = replay(workspace, 'new "Poster" kind:poster due:+7d')
    assert first.startswith("Created")
    assert all("already run this exact request" in answer for answer in again)
    assert assets(workspace) == 1
    assert len(workspace.fake.messages(workspace.channel)) == 1  # one card posted
    # The same words typed again are a new request, with a new trigger id.
    assert ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    assert assets(workspace) == 2


def test_a_replayed_read_answers_every_time(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    answers = replay(workspace, "show A-1")
    assert all(answer.startswith("A-1 Poster") for answer in answers)


def test_requests_too_old_to_replay_are_forgotten(workspace: Workspace, clock: FixedClock) -> None:
    replay(workspace, 'new "Poster" kind:poster due:+7d', times=1)
    assert _prune_seen(workspace.runtime) == 0
    clock.advance(SEEN_REQUESTS_KEPT + timedelta(seconds=1))
    assert _prune_seen(workspace.runtime) == 1
    with workspace.runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SeenRequest)) == 0


def test_a_refused_change_keeps_no_replay_key_and_leaves_nothing(workspace: Workspace) -> None:
    # Refused inside the handler (no such release), after the replay key was written:
    # the key goes with the rest of the transaction, so the retry is refused the same way.
    answers = replay(workspace, 'new "Poster" kind:poster due:+7d release:NOPE-1', times=2)
    assert all("NOPE-1" in answer for answer in answers), answers
    assert assets(workspace) == 0
    with workspace.runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(SeenRequest)) == 0
