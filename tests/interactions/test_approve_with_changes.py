"""The third decision, Approve with changes, and the shortcuts that open the new-asset form,
through Slack's own payloads."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.domain.approvals import Status
from bot.slack import ids
from bot.storage.approval_models import ApprovalRequest
from bot.storage.asset_models import Asset
from tests.helpers import CORA, MIA, SAM, ack, ack_text
from tests.interactions.approval_support import click, open_round, round_messages

LEE = "U0LEE"  # legal


def reason(text: str) -> dict[str, Any]:
    return {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {"type": "plain_text_input", "value": text}
        }
    }


def test_approve_with_changes_counts_as_approval_and_keeps_numbered_conditions(
    workspace: Workspace,
) -> None:
    open_round(workspace)
    (message,) = round_messages(workspace)
    click(workspace, MIA, message, "marketing", ids.APPROVE_WITH_CHANGES)
    view = workspace.fake.views[-1].view
    assert view["callback_id"] == ids.APPROVE_WITH_CHANGES_VIEW
    empty = workspace.driver.submit(MIA, view, reason("  "))
    assert json.loads(empty.body)["errors"] == {
        ids.REQUEST_CHANGES_REASON_BLOCK: "Say what must change."
    }
    ack(workspace.driver.submit(MIA, view, reason("- logo 10% bigger\n2. fix the spine text")))
    workspace.settle()
    replies = [m.text for m in workspace.fake.messages() if "with changes" in m.text]
    assert replies == [
        "Marketing approved A-1 Poster with changes (<@U0MIA>):\n"
        "> 1. logo 10% bigger\n> 2. fix the spine text\n"
        "Tick them off with `/asset conditions A-1 done:1` when done."
    ]
    (redrawn,) = round_messages(workspace)
    assert "approved with changes by <@U0MIA>" in json.dumps(redrawn.blocks)
    click(workspace, LEE, redrawn, "legal")
    with workspace.runtime.db.read() as session:
        request = session.scalar(select(ApprovalRequest))
        asset = session.get(Asset, 1)
        assert request is not None and asset is not None
        assert (request.status, asset.stage) == (Status.APPROVED, "approved")
    shown = ack_text(workspace.command(CORA, "/asset", "show A-1"))
    assert "condition 1. logo 10% bigger (marketing)" in shown
    assert "Only its owner" in ack_text(workspace.command(SAM, "/asset", "conditions A-1 done:1"))
    assert "no open condition 9; open ones: 1, 2" in ack_text(
        workspace.command(CORA, "/asset", "conditions A-1 done:9")
    )
    said = ack(workspace.command(CORA, "/asset", "conditions A-1 done:1"))["text"]
    assert said == "A-1: condition 1 done; 1 still open."
    listed = ack(workspace.command(MIA, "/asset", "conditions A-1"))["text"]
    assert listed == "Open conditions of A-1:\n2. fix the spine text (marketing)"


def test_the_global_shortcut_asks_for_the_channel_and_creates_the_asset(
    workspace: Workspace,
) -> None:
    ack(workspace.driver.global_shortcut(CORA, ids.ASSET_NEW_SHORTCUT))
    workspace.settle()
    view = workspace.fake.views[-1].view
    assert view["blocks"][0]["block_id"] == ids.ASSET_CHANNEL_BLOCK
    values: dict[str, Any] = {
        ids.ASSET_TITLE_BLOCK: {
            ids.ASSET_TITLE_INPUT: {"type": "plain_text_input", "value": "Flyer"}
        },
        ids.ASSET_KIND_BLOCK: {
            ids.ASSET_KIND_INPUT: {"type": "static_select", "selected_option": {"value": "promo"}}
        },
        ids.ASSET_DUE_BLOCK: {
            ids.ASSET_DUE_INPUT: {"type": "datepicker", "selected_date": "2027-01-20"}
        },
    }
    missing = workspace.driver.submit(CORA, view, values)
    assert json.loads(missing.body)["errors"] == {
        ids.ASSET_CHANNEL_BLOCK: "Pick the channel its card goes to."
    }
    picked = {
        ids.ASSET_CHANNEL_BLOCK: {
            ids.ASSET_CHANNEL_INPUT: {
                "type": "conversations_select",
                "selected_conversation": workspace.channel,
            }
        }
    }
    ack(workspace.driver.submit(CORA, view, values | picked))
    workspace.settle()
    cards = [
        m for m in workspace.fake.messages(workspace.channel) if m.text.startswith("A-1 Flyer")
    ]
    assert len(cards) == 1


def test_asset_from_a_message_keeps_its_text_and_its_link(workspace: Workspace) -> None:
    text = "Can we get a festival banner, 3 x 1 m, for Sept?"
    sketch = workspace.fake.add_file(MIA, "banner-sketch.png", b"\x89PNG sketch")
    message, _ = workspace.fake.share_file(workspace.channel, MIA, sketch, text=text)
    posted = {"type": "message", "ts": message.ts, "user": MIA, "text": text}
    ack(workspace.driver.message_shortcut(CORA, ids.ASSET_FROM_MESSAGE, posted, workspace.channel))
    workspace.settle()
    view = workspace.fake.views[-1].view
    notes = [b for b in view["blocks"] if b["block_id"] == ids.ASSET_NOTES_BLOCK]
    assert notes[0]["element"]["initial_value"] == posted["text"]
    values: dict[str, Any] = {
        ids.ASSET_TITLE_BLOCK: {
            ids.ASSET_TITLE_INPUT: {"type": "plain_text_input", "value": "Festival banner"}
        },
        ids.ASSET_KIND_BLOCK: {
            ids.ASSET_KIND_INPUT: {"type": "static_select", "selected_option": {"value": "promo"}}
        },
        ids.ASSET_DUE_BLOCK: {
            ids.ASSET_DUE_INPUT: {"type": "datepicker", "selected_date": "2027-01-20"}
        },
        ids.ASSET_NOTES_BLOCK: {
            ids.ASSET_NOTES_INPUT: {"type": "plain_text_input", "value": posted["text"]}
        },
    }
    ack(workspace.driver.submit(CORA, view, values))
    workspace.settle()
    shown = ack_text(workspace.command(CORA, "/asset", "show A-1"))
    assert "the message it was made from" in shown
    assert "festival banner, 3 x 1 m" in shown


def test_open_conditions_are_listed_on_the_card_until_ticked_off(workspace: Workspace) -> None:
    workspace.command(
        CORA, "/release", 'new "Tapes" artist:"Vels" date:2027-05-14 format:cd catno:SLV-9'
    )
    ack(workspace.command(CORA, "/approval", "request A-1 depts:marketing,legal"))
    workspace.settle()
    (message,) = round_messages(workspace)
    click(workspace, MIA, message, "marketing", ids.APPROVE_WITH_CHANGES)
    view = workspace.fake.views[-1].view
    ack(workspace.driver.submit(MIA, view, reason("logo 10% bigger <!channel>")))
    workspace.settle()
    card = next(m for m in workspace.fake.messages() if m.text.startswith("SLV-9"))
    shown = json.dumps(card.blocks)
    assert ":pushpin: to do: 1. logo 10% bigger &lt;!channel&gt;" in shown
    ack(workspace.command(CORA, "/asset", "conditions A-1 done:1"))
    workspace.settle()
    card = next(m for m in workspace.fake.messages() if m.text.startswith("SLV-9"))
    assert "to do" not in json.dumps(card.blocks)


def test_open_conditions_are_in_their_owners_personal_digest(workspace: Workspace) -> None:
    from tests.digest_support import digests, sweeper

    open_round(workspace)
    (message,) = round_messages(workspace)
    click(workspace, MIA, message, "marketing", ids.APPROVE_WITH_CHANGES)
    view = workspace.fake.views[-1].view
    ack(workspace.driver.submit(MIA, view, reason("1. logo 10% bigger\n2. fix the spine")))
    workspace.settle()
    for user in (CORA, MIA):
        ack(workspace.command(user, "/digest", "me on"))
    sweeper(workspace).run()
    dms = {m.channel: m for m in digests(workspace)}
    mine = dms[workspace.fake.dm_channel(CORA)]  # Cora owns the poster
    body = json.dumps(mine.blocks)
    assert mine.text.endswith(", 2 open conditions")
    assert "*A-1* Poster \\u2014 1. logo 10% bigger" in body and "2. fix the spine" in body
    assert workspace.fake.dm_channel(MIA) not in dms  # nothing of hers to do
    ack(workspace.command(CORA, "/asset", "conditions A-1 done:1,2"))
    with workspace.runtime.db.read() as session:
        from bot.digests.content import build_personal
        from tests.conftest import TODAY

        (after,) = build_personal(session, user_ids=[CORA], day=TODAY, conditions=True)
    assert after.conditions.total == 0 and after.due_soon.total == 1  # the poster is due soon
