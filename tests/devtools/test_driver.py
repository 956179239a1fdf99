"""The driver's events and shortcuts reach a Bolt app shaped as Slack sends them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.devtools.driver import SlackDriver
from bot.devtools.fake_slack import FakeSlack

PAYLOADS = Path(__file__).resolve().parents[3] / "shared" / "slack" / "payloads"
SECRET = "driver-test-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("C0RELEASES", "releases")
        server.add_user("U0ANA", "ana", real_name="Ana Lima")
        yield server


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def driver(fake: FakeSlack, seen: list[dict[str, Any]]) -> SlackDriver:
    client = WebClient(token=fake.bot_token, base_url=fake.api_url)
    # process_before_response: listeners finish before dispatch returns, so tests need no waits.
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.event({"type": "message", "subtype": "file_share"})
    def on_file_share(event: dict[str, Any], body: dict[str, Any]) -> None:
        seen.append({"kind": "file_share", "event": event, "body": body})

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any]) -> None:
        seen.append({"kind": "home", "event": event})

    @app.message_shortcut("file_proof")
    def on_message_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen.append({"kind": "message_shortcut", "body": body})

    @app.shortcut("new_release")
    def on_global_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen.append({"kind": "shortcut", "body": body})

    return SlackDriver(app, signing_secret=SECRET, fake=fake, team_id=fake.state.team_id)


def sample(name: str) -> dict[str, Any]:
    path = PAYLOADS / name
    if not path.is_file():
        pytest.skip(f"payload sample not present at {path}")
    return json.loads(path.read_text())["payload"]


def test_a_file_share_event_reaches_the_app(
    fake: FakeSlack, driver: SlackDriver, seen: list[dict[str, Any]]
) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", b"%PDF-")
    _, event = fake.share_file("C0RELEASES", "U0ANA", f, text="proof")
    assert driver.event(event).status == 200
    [got] = seen
    assert got["kind"] == "file_share" and got["event"] == event
    envelope = got["body"]
    assert (envelope["type"], envelope["team_id"]) == ("event_callback", "T0SLEEVE")
    assert envelope["event_id"].startswith("Ev")
    assert envelope["authorizations"][0]["user_id"] == "U0SLEEVEBOT"


def test_open_home_goes_through_event(driver: SlackDriver, seen: list[dict[str, Any]]) -> None:
    assert driver.open_home("U0ANA").status == 200
    assert seen == [
        {"kind": "home", "event": {"type": "app_home_opened", "user": "U0ANA", "tab": "home"}}
    ]


def test_a_redelivered_event_carries_the_retry_headers(driver: SlackDriver) -> None:
    sent: list[dict[str, Any]] = []

    def capture(body: str, *, headers: dict[str, str] | None = None) -> Any:
        sent.append({"body": json.loads(body), "headers": headers})

    driver.dispatch = capture  # type: ignore[method-assign]
    driver.event({"type": "app_home_opened", "user": "U0ANA"}, event_id="Ev1", retry_num=2)
    [one] = sent
    assert one["body"]["event_id"] == "Ev1"
    assert one["headers"]["x-slack-retry-num"] == "2"
    assert one["headers"]["x-slack-retry-reason"] == "http_timeout"


def test_message_shortcut_on_a_shared_file(
    fake: FakeSlack, driver: SlackDriver, seen: list[dict[str, Any]]
) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", b"%PDF-")
    msg, event = fake.share_file("C0RELEASES", "U0ANA", f)
    response = driver.message_shortcut("U0ANA", "file_proof", event, "C0RELEASES")
    assert response.status == 200
    [got] = seen
    body = got["body"]
    assert set(body) == set(sample("05_message_shortcut_on_a_message_with_files.json"))
    assert (body["type"], body["callback_id"], body["message_ts"]) == (
        "message_action",
        "file_proof",
        msg.ts,
    )
    assert body["channel"] == {"id": "C0RELEASES", "name": "releases"}
    assert body["user"]["id"] == "U0ANA" and body["user"]["username"] == "ana"
    assert body["response_url"].startswith(f"{fake.base_url}/response/")
    assert body["trigger_id"].count(".") == 2
    message = body["message"]
    assert message["files"][0]["url_private_download"] == f["url_private_download"]
    assert not {"channel", "channel_type", "event_ts"} & set(message)
    # The trigger is a real one: the app can open a modal with it.
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Proof"}, "blocks": []}
    assert WebClient(token=fake.bot_token, base_url=fake.api_url).views_open(
        trigger_id=body["trigger_id"], view=modal
    )["ok"]


def test_global_shortcut(fake: FakeSlack, driver: SlackDriver, seen: list[dict[str, Any]]) -> None:
    assert driver.global_shortcut("U0ANA", "new_release").status == 200
    [got] = seen
    body = got["body"]
    assert set(sample("07_global_shortcut.json")) <= set(body)
    assert (body["type"], body["callback_id"], body["user"]["id"]) == (
        "shortcut",
        "new_release",
        "U0ANA",
    )
    assert "response_url" not in body and "channel" not in body
