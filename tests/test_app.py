"""The Bolt app end to end: signed requests in, the fake Slack's Web API out."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from sqlalchemy import text

from bot.devtools import demo
from bot.devtools.driver import signed_headers
from bot.devtools.workspace import Workspace
from bot.slack.client import make_client

CORA, MIA = demo.COORDINATOR.user_id, "U0MIA"


def body_of(response) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(response.body)


def test_signed_command_is_answered_in_the_ack(workspace: Workspace) -> None:
    response = workspace.command(MIA, "/dept", "list")
    assert response.status == 200
    body = body_of(response)
    assert body["response_type"] == "ephemeral"
    shown = json.dumps(body["blocks"])
    assert "Label copy" in shown and "<@U0LOU>" in shown


@pytest.mark.parametrize("tamper", ["signature", "stale", "unsigned"])
def test_a_request_that_fails_verification_gets_401(workspace: Workspace, tamper: str) -> None:
    driver = workspace.driver
    body = driver.command_body(MIA, "/dept", "list", demo.PRODUCTION)
    if tamper == "signature":
        headers = signed_headers("not-the-secret", body)
    elif tamper == "stale":
        headers = signed_headers(driver.secret, body, timestamp=int(time.time()) - 330)
    else:
        headers = {"content-type": "application/x-www-form-urlencoded"}
    response = driver.dispatch(body, headers=headers)
    assert response.status == 401


def test_a_request_signed_nearly_5_minutes_ago_is_still_accepted(workspace: Workspace) -> None:
    driver = workspace.driver
    body = driver.command_body(MIA, "/dept", "list", demo.PRODUCTION)
    # Inside Slack's 5-minute window with room to spare, however slowly the test runs.
    headers = signed_headers(driver.secret, body, timestamp=int(time.time()) - 280)
    assert driver.dispatch(body, headers=headers).status == 200


def test_help_works_on_every_noun(workspace: Workspace) -> None:
    for noun in ("release", "asset", "freelancer", "approval", "dept", "digest"):
        response = workspace.command(MIA, f"/{noun}", "help")
        assert response.status == 200
        assert f"/{noun}" in json.dumps(body_of(response))


def test_an_unknown_verb_answers_with_the_closest_one(workspace: Workspace) -> None:
    body = body_of(workspace.command(MIA, "/dept", "shwo legal"))
    assert body["response_type"] == "ephemeral"
    assert "`/dept show`" in body["text"]


def test_an_unknown_department_lists_the_known_ones(workspace: Workspace) -> None:
    body = body_of(workspace.command(MIA, "/dept", "show payroll"))
    assert "There is no department `payroll`" in body["text"]
    assert "label_copy" in body["text"]


def test_an_unexpected_error_shows_a_reference_that_is_logged(
    workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    with workspace.runtime.db.write() as session:
        session.execute(text("DROP TABLE routes"))
    with caplog.at_level(logging.ERROR, logger="sleeve.errors"):
        body = body_of(workspace.command(MIA, "/dept", "list"))
    match = re.search(r"reference (ERR-[0-9A-F]{6})", body["text"])
    assert match, body["text"]
    assert "Traceback" not in body["text"]
    assert any(match.group(1) in record.getMessage() for record in caplog.records)


def test_opening_the_home_tab_publishes_a_view(workspace: Workspace) -> None:
    event = {
        "token": "unused",
        "team_id": "T0SLEEVE",
        "api_app_id": "A0SLEEVE",
        "type": "event_callback",
        "event_id": "Ev01",
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": MIA, "channel": "D0MIA", "tab": "home"},
    }
    raw = json.dumps(event)
    headers = signed_headers(workspace.driver.secret, raw)
    headers["content-type"] = "application/json"
    assert workspace.driver.dispatch(raw, headers=headers).status == 200
    workspace.settle()
    home = workspace.fake.home_views[MIA]
    assert "Marketing" in json.dumps(home.view)


@pytest.mark.parametrize(
    ("fault", "kwargs"),
    [
        ("rate limit", {"status": 429, "retry_after": 0}),
        ("server error", {"status": 503}),
    ],
)
def test_the_web_client_retries_and_posts_once(
    workspace: Workspace, fault: str, kwargs: dict
) -> None:
    fake = workspace.fake
    client = make_client(token=fake.bot_token, base_url=fake.api_url)
    fake.fail_next("chat.postMessage", **kwargs)
    client.chat_postMessage(channel=demo.PRODUCTION, text=f"after a {fault}")
    posted = [m for m in fake.messages(demo.PRODUCTION) if m.text == f"after a {fault}"]
    assert len(posted) == 1
    assert len(fake.calls("chat.postMessage")) == 2


def test_a_command_whose_text_says_payload_is_still_a_command(workspace: Workspace) -> None:
    # Bolt alone reads any form body holding the word "payload" as an interactive payload.
    body = body_of(workspace.command(MIA, "/asset", 'new "payload poster" kind:poster due:+3d'))
    assert body["text"].startswith("Created *A-1* payload poster")


@pytest.mark.parametrize(("level", "debug_lines"), [("INFO", False), ("DEBUG", True)])
def test_bolt_logs_at_sleeves_level(
    database_url: str, caplog: pytest.LogCaptureFixture, level: str, debug_lines: bool
) -> None:
    ws = Workspace.start(database_url=database_url, log_level=level)
    try:
        with caplog.at_level(logging.DEBUG):  # what the root lets through
            ws.command(MIA, "/dept", "list")
        bolt = [r for r in caplog.records if r.name == "sleeve.bolt" and r.levelno == logging.DEBUG]
        assert bool(bolt) is debug_lines
    finally:
        ws.close()
