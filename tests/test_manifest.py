from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from bot.commands.catalog import NOUNS

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest-schema" / "manifest.schema.1.0.0.json"
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())


@pytest.mark.skipif(not SCHEMA.exists(), reason="Slack's manifest schema is not beside the repo")
def test_manifest_is_valid_against_slacks_schema() -> None:
    validator = Draft7Validator(json.loads(SCHEMA.read_text()))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(MANIFEST)]
    assert errors == []


def test_every_command_is_registered_with_escaping_and_its_usage() -> None:
    commands = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(commands) == {noun.command for noun in NOUNS.values()}
    for noun in NOUNS.values():
        entry = commands[noun.command]
        assert entry["should_escape"] is True
        assert entry["description"] == noun.description
        assert entry["usage_hint"] == noun.usage_hint


def test_scopes_are_least_privilege_and_socket_mode_and_home_are_on() -> None:
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(
        [
            "commands",
            "chat:write",
            "chat:write.public",
            "im:write",
            "usergroups:read",
            # proofs: file shares in threads, their download and the preview's upload
            "channels:history",
            "groups:history",
            "files:read",
            "files:write",
        ]
    )
    assert sorted(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == sorted(
        ["app_home_opened", "message.channels", "message.groups"]
    )
    shortcuts = {s["callback_id"]: s["type"] for s in MANIFEST["features"]["shortcuts"]}
    assert shortcuts == {
        "proof.attach": "message",
        "asset.new": "global",
        "asset.from_message": "message",
    }
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
