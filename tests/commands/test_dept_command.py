"""/dept: coordinators configure departments and routes; anyone reads them."""

from __future__ import annotations

import json

import pytest

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, FAY, MIA, SAM, ack, ack_text


def test_set_replaces_members_and_sets_group_channel_and_name(workspace: Workspace) -> None:
    text = ack_text(
        workspace.command(
            CORA,
            "/dept",
            'set legal name:"Legal & Business Affairs" members:<@U0LEE|lee>,<@U0SAM|sam> '
            "group:<!subteam^S0LEG|@legal-team> channel:<#C0LEGAL|legal>",
        )
    )
    assert "Updated Legal &amp; Business Affairs" in text
    shown = ack_text(workspace.command(SAM, "/dept", "show legal"))
    assert "<@U0LEE>" in shown and "<@U0SAM>" in shown
    assert "<!subteam^S0LEG>" in shown and "<#C0LEGAL>" in shown
    ack(workspace.command(CORA, "/dept", "set legal members:<@U0SAM|sam>"))
    shown = ack_text(workspace.command(SAM, "/dept", "show legal"))
    assert "<@U0LEE>" not in shown and "<@U0SAM>" in shown


@pytest.mark.parametrize("user", [MIA, SAM, FAY])
def test_only_coordinators_configure(workspace: Workspace, user: str) -> None:
    for text in ("set legal members:<@U0SAM|sam>", "route cover ar"):
        assert "Only coordinators" in ack_text(workspace.command(user, "/dept", text))
    assert "<@U0SAM>" not in ack_text(workspace.command(user, "/dept", "show legal"))


def test_route_changes_what_a_kind_needs(workspace: Workspace) -> None:
    assert "cover: ar, legal" in ack_text(workspace.command(CORA, "/dept", "route cover ar,legal"))
    assert "*cover* → ar, legal" in ack_text(workspace.command(MIA, "/dept", "routes"))
    text = ack_text(workspace.command(CORA, "/dept", "route cover ar,payroll"))
    assert "There is no department `payroll`" in text
    assert "isn't a kind" in ack_text(workspace.command(CORA, "/dept", "route hat ar"))
    workspace.command(CORA, "/asset", 'new "Cover" kind:cover due:+7d')
    ack(workspace.command(CORA, "/approval", "request A-1"))
    message = next(m for m in workspace.fake.messages() if m.text.startswith("Approval needed"))
    blocks = json.dumps(message.blocks)
    assert "approval:1:ar" in blocks and "approval:1:legal" in blocks
    assert "approval:1:marketing" not in blocks


def test_members_must_be_mentions(workspace: Workspace) -> None:
    text = ack_text(workspace.command(CORA, "/dept", "set legal members:@nobody"))
    assert "Pick people from Slack's suggestions" in text
    assert "can't be left without members" in ack_text(
        workspace.command(CORA, "/dept", "set coordinators members:none")
    )
