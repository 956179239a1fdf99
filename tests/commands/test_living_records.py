"""Living records: rounds end with their asset, and cards are redrawn after every change."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.approvals.flow import send_reminders
from bot.core.clock import FixedClock
from bot.devtools.fake_slack_models import Message
from bot.devtools.workspace import Workspace
from bot.storage.approval_models import ApprovalRequest
from tests.helpers import CORA, MIA, SAM, ack, ack_text, assets, release_new
from tests.interactions.approval_support import click, last_ephemeral, round_messages


def poster_in_review(ws: Workspace) -> Message:
    ack(ws.command(CORA, "/asset", 'new "Summer tour poster" kind:poster due:+7d'))
    ack(ws.command(CORA, "/approval", "request A-1 depts:marketing,legal"))
    (message,) = round_messages(ws)
    return message


def rounds(ws: Workspace) -> list[ApprovalRequest]:
    with ws.runtime.db.read() as session:
        return list(session.query(ApprovalRequest).order_by(ApprovalRequest.id))


def current(ws: Workspace, message: Message) -> Message:
    found = ws.fake.message(message.channel, message.ts)
    assert found is not None
    return found


def has_buttons(message: Message) -> bool:
    return any(block.get("type") == "actions" for block in message.blocks or [])


def test_cancelling_an_asset_cancels_its_round_and_redraws_it_saying_why(
    workspace: Workspace, clock: FixedClock
) -> None:
    message = poster_in_review(workspace)
    reply = ack_text(workspace.command(CORA, "/asset", 'cancel A-1 reason:"Tour postponed"'))
    assert "approval round 1 was cancelled" in reply
    (request,) = rounds(workspace)
    assert (request.status, request.close_reason) == (
        "cancelled",
        "A-1 was cancelled (Tour postponed)",
    )
    redrawn = current(workspace, message)
    assert not has_buttons(redrawn)
    assert "Cancelled: A-1 was cancelled (Tour postponed)" in json.dumps(redrawn.blocks)
    assert "not decided" in json.dumps(redrawn.blocks) and "pending" not in json.dumps(
        redrawn.blocks
    )
    assert "Nothing is waiting" in ack_text(workspace.command(SAM, "/approval", "pending"))
    clock.advance(timedelta(days=3))
    assert send_reminders(workspace.runtime, workspace.app.client) == 0
    click(workspace, MIA, message, "marketing")  # an old copy of the message
    assert "cancelled" in last_ephemeral(workspace, MIA)


def test_moving_out_of_review_cancels_the_round_and_a_hold_only_pauses_its_reminders(
    workspace: Workspace, clock: FixedClock
) -> None:
    poster_in_review(workspace)
    ack(workspace.command(CORA, "/asset", "hold A-1"))
    assert rounds(workspace)[0].status == "pending"
    clock.advance(timedelta(days=2))
    assert send_reminders(workspace.runtime, workspace.app.client) == 0  # paused while held
    digest = ack_text(workspace.command(CORA, "/digest", "preview"))
    assert "Summer tour poster" not in digest.split("On hold")[0].split("Waiting")[-1]
    ack(workspace.command(CORA, "/asset", "move A-1 stage:review"))  # resumes
    assert send_reminders(workspace.runtime, workspace.app.client) == 1
    reply = ack_text(workspace.command(CORA, "/asset", "move A-1 stage:design"))
    assert "approval round 1 was cancelled" in reply
    assert rounds(workspace)[0].close_reason == "A-1 moved to design"


def test_approval_cancel_by_hand_is_for_the_owner_or_a_coordinator(workspace: Workspace) -> None:
    message = poster_in_review(workspace)
    refused = ack_text(workspace.command(SAM, "/approval", "cancel A-1"))
    assert "Only" in refused and rounds(workspace)[0].status == "pending"
    reply = ack(workspace.command(CORA, "/approval", 'cancel A-1 reason:"Brief changed"'))
    assert reply["text"] == "Cancelled round 1 of A-1."
    assert "Cancelled: Brief changed" in json.dumps(current(workspace, message).blocks)
    notes = [m.text for m in workspace.fake.messages() if "was cancelled by" in m.text]
    assert notes == [
        "Approval round 1 of A-1 Summer tour poster was cancelled by <@U0CORA>: Brief changed."
    ]
    again = ack_text(workspace.command(CORA, "/approval", "cancel A-1"))
    assert "no open approval round" in again
    assert assets(workspace)[0].stage == "review"  # the asset stays where it was


def test_a_plain_move_cannot_cancel(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    reply = ack_text(workspace.command(CORA, "/asset", "move A-1 stage:cancelled"))
    assert "/asset cancel A-1" in reply and assets(workspace)[0].stage == "brief"


def test_an_assets_own_card_is_redrawn_after_each_change(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    card = workspace.fake.messages(workspace.channel)[0]
    ack(workspace.command(CORA, "/asset", "due A-1 +20d"))
    ack(workspace.command(CORA, "/asset", "move A-1 stage:design"))
    ack(workspace.command(CORA, "/asset", "owner A-1 <@U0MIA>"))
    redrawn = current(workspace, card)
    assert len(redrawn.edits) == 3
    shown = json.dumps(redrawn.blocks)
    assert "design" in shown and "<@U0MIA>" in shown


def test_a_release_card_is_redrawn_when_an_asset_joins_or_changes(workspace: Workspace) -> None:
    ack(
        release_new(
            workspace,
            '"Night Drive" artist:"The Vels" date:2027-09-03 format:digital catno:SLV-014',
        )
    )
    card = workspace.fake.messages(workspace.channel)[0]
    before = len(card.edits)
    ack(workspace.command(CORA, "/asset", 'new "Launch GIF" kind:social due:+30d release:SLV-014'))
    joined = current(workspace, card)
    assert len(joined.edits) == before + 1 and "Launch GIF" in json.dumps(joined.blocks)
    asset_id = max(a.id for a in assets(workspace))
    ack(workspace.command(CORA, "/asset", f"move A-{asset_id} stage:design"))
    assert len(current(workspace, card).edits) == before + 2


def test_a_round_asked_of_part_of_the_route_says_who_was_left_out(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Summer tour poster" kind:poster due:+7d'))
    reply = ack_text(workspace.command(CORA, "/approval", "request A-1 depts:marketing"))
    assert "Not asked, though on the route: Merchandise, Artist management." in reply
    (message,) = round_messages(workspace)
    assert "Not asked this round: Merchandise, Artist management." in json.dumps(message.blocks)
    click(workspace, MIA, message, "marketing")
    approved = [m.text for m in workspace.fake.messages() if "is approved by" in m.text]
    assert approved == [
        "A-1 Summer tour poster is approved by Marketing (not asked this round: Merchandise, "
        "Artist management). Over to you, <@U0CORA>."
    ]


def test_a_new_round_says_it_replaces_the_open_one(workspace: Workspace) -> None:
    poster_in_review(workspace)
    reply = ack_text(workspace.command(CORA, "/approval", "request A-1 depts:marketing,legal"))
    assert "(round 2)" in reply and "It replaces round 1, which no longer counts." in reply
    first, _second = round_messages(workspace)
    assert "Superseded by a newer round" in json.dumps(current(workspace, first).blocks)
