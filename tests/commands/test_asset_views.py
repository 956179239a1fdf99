"""What `/asset list` and `/asset show` tell: history stays out of lists unless asked,
priority shows, a page past the end says so, show has the freelancer, rounds and links."""

from __future__ import annotations

import json

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, MIA, ack, ack_text
from tests.interactions.approval_support import click, round_messages


def test_lists_hide_done_and_cancelled_assets_unless_asked(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Live one" kind:poster due:+7d priority:urgent'))
    ack(workspace.command(CORA, "/asset", 'new "Dropped one" kind:poster due:+8d'))
    ack(workspace.command(CORA, "/asset", 'cancel A-2 reason:"Not needed"'))
    listed = ack_text(workspace.command(MIA, "/asset", "list"))
    assert "Live one" in listed and "Dropped one" not in listed
    assert "*urgent*" in listed
    assert "Dropped one" in ack_text(workspace.command(MIA, "/asset", "list all"))
    assert "Dropped one" in ack_text(workspace.command(MIA, "/asset", "list stage:cancelled"))


def test_a_page_past_the_end_says_so(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Only one" kind:poster due:+7d'))
    reply = ack_text(workspace.command(MIA, "/asset", "list page:3"))
    assert reply.startswith("That page is past the end: 1 match. `/asset list`")


def test_show_gives_the_freelancer_the_rounds_and_readable_links(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Tour poster" kind:poster due:+7d'))
    ack(workspace.command(CORA, "/asset", "assign A-1 F-1"))
    ack(workspace.command(CORA, "/asset", 'link A-1 https://files.example/v1.pdf "First proof"'))
    ack(workspace.command(CORA, "/approval", "request A-1 depts:marketing,legal"))
    click(workspace, MIA, round_messages(workspace)[0], "marketing")
    shown = json.dumps(ack(workspace.command(MIA, "/asset", "show A-1")), ensure_ascii=False)
    assert "F-1 Fay Moreau <@U0FAY>" in shown
    assert "Round 1 · pending · Marketing approved <@U0MIA>, Legal pending" in shown
    assert "link → First proof" in shown and "{'url'" not in shown


def test_edit_changes_title_kind_priority_and_notes_and_redraws_the_card(
    workspace: Workspace,
) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    card = workspace.fake.messages(workspace.channel)[0]
    reply = ack_text(
        workspace.command(
            CORA, "/asset", 'edit A-1 title:"Tour poster v2" priority:urgent notes:"Bigger"'
        )
    )
    assert reply.startswith("A-1: updated title, priority, notes.")
    redrawn = workspace.fake.message(card.channel, card.ts)
    assert redrawn is not None and "Tour poster v2" in json.dumps(redrawn.blocks)
    thread = [m.text for m in workspace.fake.thread(card.channel, card.ts)]
    assert any("title Poster → *Tour poster v2*" in t for t in thread)
    assert not any("Bigger" in t for t in thread)  # notes stay out of the channel
    assert "nothing changed" in ack_text(
        workspace.command(CORA, "/asset", "edit A-1 priority:urgent")
    )
    assert "isn't a kind" in ack_text(workspace.command(CORA, "/asset", "edit A-1 kind:blimp"))
    assert "Only its owner" in ack_text(workspace.command(MIA, "/asset", 'edit A-1 title:"x"'))


def test_unassign_takes_the_freelancer_off_and_keeps_the_history(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    ack(workspace.command(CORA, "/asset", "assign A-1 F-1"))
    reply = ack_text(workspace.command(CORA, "/asset", "unassign A-1"))
    assert reply.startswith("A-1 has no freelancer now (was F-1 Fay Moreau).")
    assert "no freelancer assigned" in ack_text(workspace.command(CORA, "/asset", "unassign A-1"))
    profile = ack_text(workspace.command(CORA, "/freelancer", "show F-1"))
    assert "Assignment history" in profile and "A-1" in profile
