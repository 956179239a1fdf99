"""Signed Slack request bodies, built the way Slack builds them (see bot/devtools/driver.py).

They are made without an in-process fake Slack, so the HTTP scenarios can use them against a
fake Slack in another process: response URLs point at its ``/response/…`` endpoint.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from bot.devtools.driver import signed_headers

TEAM_ID = "T0SLEEVE"
APP_ID = "A0SLEEVE"
CHANNEL = "C0PRODUCTION"
_seq = itertools.count(1)


@dataclass(frozen=True)
class Signed:
    body: str
    headers: dict[str, str]


def sign(secret: str, body: str) -> Signed:
    return Signed(body, signed_headers(secret, body))


def command_body(
    *, user_id: str, command: str, text: str, fake_base_url: str, channel_id: str = CHANNEL
) -> str:
    n = next(_seq)
    return urlencode(
        {
            "token": "verification-token-unused",
            "team_id": TEAM_ID,
            "team_domain": "northside",
            "channel_id": channel_id,
            "channel_name": "production",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": f"{fake_base_url}/response/bench-cmd-{n}",
            "trigger_id": f"{n:06d}.1234567.abcdef",
        }
    )


@dataclass(frozen=True)
class Click:
    """One Approve button of a posted round message, and who may press it."""

    request_id: int
    step_id: int
    dept: str
    user_id: str
    block_id: str
    value: str
    message: dict[str, Any]  # the message as Slack sends it in the payload


def approve_buttons(blocks: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """dept key -> (block_id, value) of each Approve button in a round message."""
    found: dict[str, tuple[str, str]] = {}
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements", []):
            if element.get("action_id") == "approval.approve":
                found[block["block_id"].rsplit(":", 1)[1]] = (block["block_id"], element["value"])
    return found


def click_body(click: Click, *, fake_base_url: str, channel_id: str = CHANNEL) -> str:
    n = next(_seq)
    payload = {
        "type": "block_actions",
        "user": {
            "id": click.user_id,
            "username": click.user_id.lower(),
            "name": click.user_id.lower(),
            "team_id": TEAM_ID,
        },
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "container": {
            "type": "message",
            "message_ts": click.message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": f"{n:06d}.1234567.abcdef",
        "team": {"id": TEAM_ID, "domain": "northside"},
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "production"},
        "message": click.message,
        "state": {"values": {}},
        "response_url": f"{fake_base_url}/response/bench-act-{n}",
        "actions": [
            {
                "type": "button",
                "action_id": "approval.approve",
                "block_id": click.block_id,
                "value": click.value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return f"payload={quote(json.dumps(payload))}"
