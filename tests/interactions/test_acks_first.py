"""A burst of clicks is acked first: a click's decision waits for a moment when the process
answers no request, through the same WSGI app that `serve` runs, and never waits forever."""

from __future__ import annotations

import threading
import time

import pytest

from bot.devtools.workspace import Workspace
from bot.interactions import approvals as approval_listeners
from bot.runtime import RequestGauge
from tests.helpers import CORA, wsgi_post
from tests.interactions.approval_support import (
    approve_payload,
    decided_steps,
    open_round,
    round_messages,
)


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
    open_round(workspace)
    return workspace


def click_body(ws: Workspace) -> str:
    return ws.driver.interactive_body(approve_payload(ws))


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
        assert decided_steps(round_open) == 0
    finally:
        upload.send()
        other.join(10)
    round_open.settle()
    assert decided_steps(round_open) == 1
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
        assert decided_steps(round_open) == 1
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
