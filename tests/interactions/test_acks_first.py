"""A burst of clicks is acked first: a click's decision waits for a moment when the process
answers no request, through the same WSGI app that `serve` runs, and never waits forever."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from bot.devtools.workspace import Workspace
from bot.interactions import approvals as approval_listeners
from bot.runtime import RequestGauge
from bot.slack import ids
from bot.storage.approval_models import ApprovalStep
from tests.helpers import CORA, MIA, ack, wsgi_post
from tests.interactions.approval_support import button, payload_message, round_messages


class SlowUpload:
    """A request body whose client is still sending it: ``read`` waits for ``send``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reading = threading.Event()
        self.sent = threading.Event()

    def read(self, _size: int = -1) -> bytes:
        self.reading.set()
        self.sent.wait(30)
        return self.data

    def send(self) -> None:
        self.sent.set()


@pytest.fixture
def round_open(workspace: Workspace) -> Workspace:
    workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d')
    ack(workspace.command(CORA, "/approval", "request A-1 depts:marketing,legal"))
    return workspace


def decided(ws: Workspace) -> int:
    with ws.runtime.db.read() as session:
        found = session.scalar(
            select(func.count()).select_from(ApprovalStep).where(ApprovalStep.status != "pending")
        )
    return found or 0


def click_body(ws: Workspace) -> str:
    (message,) = round_messages(ws)
    block_id, value = button(message, "marketing")
    return ws.driver.interactive_body(
        ws.driver.block_action_payload(
            MIA,
            channel_id=message.channel,
            message=payload_message(message),
            block_id=block_id,
            action_id=ids.APPROVE,
            value=value,
        )
    )


def request_in_flight(ws: Workspace) -> tuple[SlowUpload, threading.Thread]:
    """A signed `/asset list` whose body is still arriving: the process is answering it."""
    body = ws.driver.command_body(CORA, "/asset", "list", ws.channel)
    upload = SlowUpload(body.encode())
    statuses: list[int] = []
    thread = threading.Thread(
        target=lambda: statuses.append(wsgi_post(ws, body, stream=upload)), daemon=True
    )
    thread.start()
    assert upload.reading.wait(10)
    return upload, thread


def test_a_clicks_decision_waits_for_the_request_in_flight(
    round_open: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(approval_listeners, "YIELD_S", 30.0)  # only quiet lets it through
    upload, other = request_in_flight(round_open)
    try:
        assert wsgi_post(round_open, click_body(round_open)) == 200  # acked at once
        time.sleep(0.3)
        assert decided(round_open) == 0
    finally:
        upload.send()
        other.join(10)
    round_open.settle()
    assert decided(round_open) == 1
    (message,) = round_messages(round_open)
    assert "<@U0MIA>" in str(message.blocks)  # redrawn with who approved


def test_steady_traffic_delays_a_decision_but_never_starves_it(
    round_open: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(approval_listeners, "YIELD_S", 0.2)
    upload, other = request_in_flight(round_open)
    try:
        assert wsgi_post(round_open, click_body(round_open)) == 200
        round_open.settle()
        assert other.is_alive()  # the other request is still being answered
        assert decided(round_open) == 1
    finally:
        upload.send()
        other.join(10)


def test_the_gauge_is_quiet_only_once_requests_have_paused() -> None:
    gauge = RequestGauge()
    assert gauge.wait_quiet(0.01, 0.0)  # nothing answered yet
    gauge.enter()
    assert not gauge.wait_quiet(0.01, 0.05)
    gauge.leave()
    assert gauge.wait_quiet(0.01, 5.0)
    gauge.enter()
    gauge.enter()
    gauge.leave()
    assert not gauge.wait_quiet(0.01, 0.05)  # one of two still in flight
    gauge.leave()
    assert gauge.wait_quiet(0.01, 5.0)
