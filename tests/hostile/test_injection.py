"""User text that looks like Slack markup is shown literally and pings no one, wherever it
appears: titles, notes, artists, freelancer names, department names."""

from __future__ import annotations

import json

import pytest

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, ack, assert_pings_no_one, mrkdwn_texts

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<@U0ZZZ9> (nobody the app would mention)",
    "<https://evil.example|Payroll>",
    "*bold* _it_ ~s~",
    "🎛️🦄 four-byte emoji",
    "\u05e9\u05dc\u05d5\u05dd right-to-left \u202eevil",
]


def typed(text: str) -> str:
    """What Slack sends for text a user typed, with should_escape on."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def everything_sent(ws: Workspace) -> list[tuple[str, list | None]]:
    sent = [(m.text, m.blocks) for m in ws.fake.messages()]
    sent += [(e.text, e.blocks) for e in ws.fake.ephemerals()]
    return sent


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_everywhere_is_literal(workspace: Workspace, hostile: str) -> None:
    value = typed(hostile).replace('"', "'")
    replies = [
        ack(
            workspace.command(
                CORA,
                "/release",
                f'new "{value}" artist:"{value}" date:2027-05-14 format:digital catno:X-1',
            )
        ),
        ack(
            workspace.command(CORA, "/asset", f'new "{value}" kind:poster due:+7d notes:"{value}"')
        ),
        ack(
            workspace.command(
                CORA, "/freelancer", f'add "{value}" email:x@example.com notes:"{value}"'
            )
        ),
        ack(workspace.command(CORA, "/dept", f'set legal name:"{value}"')),
        ack(workspace.command(CORA, "/asset", "assign A-5 F-2")),
        ack(workspace.command(CORA, "/approval", "request A-5 depts:legal")),
        ack(workspace.command(CORA, "/asset", "show A-5")),
        ack(workspace.command(CORA, "/release", "show X-1")),
        ack(workspace.command(CORA, "/freelancer", "show F-2")),
        ack(workspace.command(CORA, "/dept", "list")),
    ]
    shown = [(r.get("text", ""), r.get("blocks")) for r in replies] + everything_sent(workspace)
    for text, blocks in shown:
        assert_pings_no_one(text, blocks)
        for mrkdwn in mrkdwn_texts(text, blocks):
            assert "<@U0ZZZ9>" not in mrkdwn, mrkdwn
    wire = json.dumps(shown, ensure_ascii=False)
    if "<" in hostile:
        assert typed(hostile) in wire  # shown, escaped
    else:
        assert hostile.replace('"', "'") in wire  # shown as typed
