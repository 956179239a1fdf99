"""Signed Slack requests into a Bolt app, as Slack would send them.

The shell and the tests both drive the app through here: slash commands, button clicks and
modal submissions are built the way Slack builds them, signed with the signing secret, and
dispatched through Bolt (verification included). Their response URLs point at the fake Slack.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import quote, urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.devtools.fake_slack import FakeSlack
from bot.devtools.fake_slack_models import BOT_USER_ID

# Keys a message event has that the message inside an interaction payload does not.
_EVENT_ONLY = ("channel", "channel_type", "event_ts")


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


class SlackDriver:
    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str = "T0SLEEVE",
        api_app_id: str = "A0SLEEVE",
    ) -> None:
        self.app = app
        self.secret = signing_secret
        self.fake = fake
        self.team_id = team_id
        self.api_app_id = api_app_id
        self._seq = itertools.count(1)

    # -- building bodies -------------------------------------------------------------------

    def command_body(self, user_id: str, command: str, text: str, channel_id: str) -> str:
        n = next(self._seq)
        fields = {
            "token": "verification-token-unused",
            "team_id": self.team_id,
            "team_domain": "northside",
            "channel_id": channel_id,
            "channel_name": self.fake.channel_name(channel_id) or "unknown",
            "user_id": user_id,
            "user_name": self.fake.user_name(user_id) or user_id,
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url_for(
                f"cmd-{n}", user=user_id, channel=channel_id
            ),
            "trigger_id": self.fake.new_trigger_id(user_id),
        }
        return urlencode(fields)

    def interactive_body(self, payload: dict[str, Any]) -> str:
        return f"payload={quote(json.dumps(payload))}"

    def block_action_payload(
        self,
        user_id: str,
        *,
        channel_id: str,
        message: dict[str, Any],
        block_id: str,
        action_id: str,
        value: str,
    ) -> dict[str, Any]:
        n = next(self._seq)
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        return {
            "type": "block_actions",
            "user": {
                "id": user_id,
                "username": self.fake.user_name(user_id) or user_id,
                "name": self.fake.user_name(user_id) or user_id,
                "team_id": self.team_id,
            },
            "api_app_id": self.api_app_id,
            "token": "verification-token-unused",
            "container": container,
            "trigger_id": self.fake.new_trigger_id(user_id),
            "team": {"id": self.team_id, "domain": "northside"},
            "is_enterprise_install": False,
            "channel": {"id": channel_id, "name": self.fake.channel_name(channel_id) or ""},
            "message": message,
            "state": {"values": {}},
            "response_url": self.fake.response_url_for(
                f"act-{n}", user=user_id, channel=channel_id
            ),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    def view_submission_payload(
        self, user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        submitted = dict(view)
        submitted["state"] = {"values": values}
        return {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "northside"},
            "user": {
                "id": user_id,
                "name": self.fake.user_name(user_id) or user_id,
                "team_id": self.team_id,
            },
            "api_app_id": self.api_app_id,
            "token": "verification-token-unused",
            "trigger_id": self.fake.new_trigger_id(user_id),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
        }

    def message_shortcut_payload(
        self, user_id: str, callback_id: str, message: dict[str, Any], channel_id: str
    ) -> dict[str, Any]:
        """A ``message_action`` payload, shaped like Slack's (payload sample 05)."""
        n = next(self._seq)
        name = self.fake.user_name(user_id) or user_id
        carried = {k: v for k, v in message.items() if k not in _EVENT_ONLY}
        carried.setdefault("type", "message")
        return {
            "type": "message_action",
            "token": "verification-token-unused",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": self.team_id, "domain": "northside"},
            "user": {"id": user_id, "username": name, "team_id": self.team_id, "name": name},
            "channel": {"id": channel_id, "name": self.fake.channel_name(channel_id) or ""},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": self.fake.new_trigger_id(user_id),
            "response_url": self.fake.response_url_for(
                f"msc-{n}", user=user_id, channel=channel_id, message_ts=message["ts"]
            ),
            "message_ts": message["ts"],
            "message": carried,
        }

    def global_shortcut_payload(self, user_id: str, callback_id: str) -> dict[str, Any]:
        """A ``shortcut`` payload (payload sample 07): no channel, message or response_url."""
        name = self.fake.user_name(user_id) or user_id
        return {
            "type": "shortcut",
            "token": "verification-token-unused",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": self.team_id, "domain": "northside"},
            "user": {"id": user_id, "username": name, "team_id": self.team_id},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": self.fake.new_trigger_id(user_id),
        }

    def event_envelope(
        self, event: dict[str, Any], *, event_id: str | None = None
    ) -> dict[str, Any]:
        """``event`` in the ``event_callback`` envelope the Events API posts."""
        authorization = {"enterprise_id": None, "team_id": self.team_id, "user_id": BOT_USER_ID}
        authorization |= {"is_bot": True, "is_enterprise_install": False}
        return {
            "token": "unused",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._seq):08d}",
            "event_time": int(time.time()),
            "authorizations": [authorization],
            "is_ext_shared_channel": False,
        }

    # -- sending ---------------------------------------------------------------------------

    def dispatch(self, body: str, *, headers: dict[str, str] | None = None) -> BoltResponse:
        return self.app.dispatch(
            BoltRequest(body=body, headers=headers or signed_headers(self.secret, body))
        )

    def command(
        self, user_id: str, command: str, text: str = "", *, channel_id: str
    ) -> BoltResponse:
        return self.dispatch(self.command_body(user_id, command, text, channel_id))

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> BoltResponse:
        """Post an Events API event (e.g. ``share_file``'s) as Slack does: JSON, signed.
        ``retry_num`` (with the first delivery's ``event_id``) makes it a redelivery."""
        raw = json.dumps(self.event_envelope(event, event_id=event_id))
        headers = signed_headers(self.secret, raw)
        headers["content-type"] = "application/json"
        if retry_num is not None:
            headers["x-slack-retry-num"] = str(retry_num)
            headers["x-slack-retry-reason"] = retry_reason
        return self.dispatch(raw, headers=headers)

    def open_home(self, user_id: str) -> BoltResponse:
        """The app_home_opened event Slack sends when ``user_id`` opens the app's Home tab."""
        return self.event({"type": "app_home_opened", "user": user_id, "tab": "home"})

    def message_shortcut(
        self, user_id: str, callback_id: str, message: dict[str, Any], channel_id: str
    ) -> BoltResponse:
        """``user_id`` runs the message shortcut ``callback_id`` on ``message`` (a message
        dict such as ``share_file``'s event, whose event-only keys are dropped)."""
        payload = self.message_shortcut_payload(user_id, callback_id, message, channel_id)
        return self.dispatch(self.interactive_body(payload))

    def global_shortcut(self, user_id: str, callback_id: str) -> BoltResponse:
        """``user_id`` runs the global shortcut ``callback_id`` (from the composer or search)."""
        return self.dispatch(
            self.interactive_body(self.global_shortcut_payload(user_id, callback_id))
        )

    def home_click(
        self, user_id: str, *, view_id: str, block_id: str, action_id: str, value: str
    ) -> BoltResponse:
        """``user_id`` clicks a button on their App Home: the payload of Slack's own sample
        (``container.type`` "view", the Home view, and no channel, message or response_url)."""
        payload = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "northside"},
            "user": {"id": user_id, "username": self.fake.user_name(user_id) or user_id},
            "api_app_id": self.api_app_id,
            "token": "verification-token-unused",
            "container": {"type": "view", "view_id": view_id},
            "trigger_id": self.fake.new_trigger_id(user_id),
            "view": {"id": view_id, "type": "home", "blocks": [], "private_metadata": ""},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return self.dispatch(self.interactive_body(payload))

    def click(self, user_id: str, **kwargs: Any) -> BoltResponse:
        return self.dispatch(self.interactive_body(self.block_action_payload(user_id, **kwargs)))

    def submit(
        self, user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
    ) -> BoltResponse:
        payload = self.view_submission_payload(user_id, view, values)
        return self.dispatch(self.interactive_body(payload))
