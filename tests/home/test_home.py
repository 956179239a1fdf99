"""The App Home through signed requests: what a coordinator, an approver and a guest see,
and deciding from it, which redraws the round's thread message and the Homes it was on."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.storage.approval_models import ApprovalStep
from tests.helpers import CORA, FAY, MIA, SAM, ack, release_new
from tests.interactions.approval_support import button, round_messages

LEE = "U0LEE"  # legal


def home(ws: Workspace, user: str) -> dict[str, Any]:
    return ws.fake.home_views[user].view


def home_text(ws: Workspace, user: str) -> str:
    return json.dumps(home(ws, user)["blocks"], ensure_ascii=False)


def home_buttons(ws: Workspace, user: str) -> list[tuple[str, str, str]]:
    """(block_id, action_id, value) of every button on the user's Home."""
    return [
        (block["block_id"], element["action_id"], element["value"])
        for block in home(ws, user)["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def open_home(ws: Workspace, user: str) -> None:
    ack(ws.driver.open_home(user))
    ws.settle()


def catalogue(ws: Workspace) -> None:
    """A release out in three weeks, a late poster assigned to Fay, a round on a flyer."""
    ack(release_new(ws, '"Midnight Tapes" artist:"The Vels" date:+21d format:cd catno:SLV-014'))
    ack(ws.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    ack(ws.command(CORA, "/asset", 'new "Flyer" kind:poster due:+9d'))
    ack(ws.command(CORA, "/asset", f"assign A-{poster_id(ws)} F-1"))
    ack(ws.command(CORA, "/approval", f"request A-{flyer_id(ws)} depts:marketing,legal"))
    ws.settle()


def poster_id(ws: Workspace) -> int:
    return asset_id(ws, "Poster")


def flyer_id(ws: Workspace) -> int:
    return asset_id(ws, "Flyer")


def asset_id(ws: Workspace, title: str) -> int:
    from bot.storage.asset_models import Asset

    with ws.runtime.db.read() as session:
        found = session.scalar(select(Asset.id).where(Asset.title == title))
    assert found is not None
    return found


def test_each_person_sees_their_own_home(workspace: Workspace) -> None:
    catalogue(workspace)
    for user in (CORA, MIA, FAY):
        open_home(workspace, user)
    coordinator, approver, guest = (home_text(workspace, u) for u in (CORA, MIA, FAY))
    flyer = f"A-{flyer_id(workspace)}"
    assert "You decide for: *Production" in coordinator
    assert "Next street dates* (1)" in coordinator and "SLV-014" in coordinator
    assert f"*{flyer}* Flyer" in coordinator  # owned by the coordinator who made it
    assert "Waiting on you* (1)" in approver and "for Marketing" in approver
    # The approver's buttons are the thread's own: same block and action ids, same values.
    (thread_message,) = round_messages(workspace)
    thread_block, thread_value = button(thread_message, "marketing")
    assert (thread_block, ids.APPROVE, thread_value) in home_buttons(workspace, MIA)
    assert home_buttons(workspace, CORA) == []
    # A guest sees their own work only: no rounds, no street dates, no catalogue.
    assert f"A-{poster_id(workspace)}" in guest and "Poster" in guest
    assert "Waiting on you" not in guest and "street dates" not in guest
    assert "SLV-014" not in guest and "Flyer" not in guest
    assert "aren't in a department" in guest


def test_a_decision_on_home_decides_and_redraws_the_thread_and_the_homes(
    workspace: Workspace,
) -> None:
    catalogue(workspace)
    for user in (MIA, LEE, SAM):
        open_home(workspace, user)
    publishes_before = len(workspace.fake.calls("views.publish"))
    (block_id, action_id, value) = next(
        b for b in home_buttons(workspace, MIA) if b[1] == ids.APPROVE
    )
    view_id = workspace.fake.home_views[MIA].id
    ack(
        workspace.driver.home_click(
            MIA, view_id=view_id, block_id=block_id, action_id=action_id, value=value
        )
    )
    workspace.settle()
    with workspace.runtime.db.read() as session:
        steps = {s.department_key: s.status for s in session.scalars(select(ApprovalStep))}
    assert steps == {"marketing": "approved", "legal": "pending"}
    (redrawn,) = round_messages(workspace)
    assert "approved by <@U0MIA>" in json.dumps(redrawn.blocks)
    assert "Waiting on you* (0)" in home_text(workspace, MIA)
    assert "Waiting on you* (1)" in home_text(workspace, LEE)  # still theirs: redrawn too
    published = [c.args["user_id"] for c in workspace.fake.calls("views.publish")]
    assert sorted(published[publishes_before:]) == [LEE, MIA]  # Sam isn't touched by it


def test_a_refusal_on_home_is_told_by_dm_and_records_nothing(workspace: Workspace) -> None:
    catalogue(workspace)
    open_home(workspace, MIA)
    block_id, action_id, value = next(b for b in home_buttons(workspace, MIA))
    ack(
        workspace.driver.home_click(
            SAM, view_id="V0SAM", block_id=block_id, action_id=ids.APPROVE, value=value
        )
    )
    workspace.settle()
    with workspace.runtime.db.read() as session:
        assert all(s.status == "pending" for s in session.scalars(select(ApprovalStep)))
    dms = [m.text for m in workspace.fake.messages() if m.channel.startswith("D")]
    assert any("Only members of Marketing" in text for text in dms), dms
    assert action_id  # every Home button carries one


def test_approve_with_changes_from_home_opens_the_form_and_records_the_conditions(
    workspace: Workspace,
) -> None:
    catalogue(workspace)
    open_home(workspace, MIA)
    block_id, _action, value = next(
        b for b in home_buttons(workspace, MIA) if b[1] == ids.APPROVE_WITH_CHANGES
    )
    view_id = workspace.fake.home_views[MIA].id
    ack(
        workspace.driver.home_click(
            MIA,
            view_id=view_id,
            block_id=block_id,
            action_id=ids.APPROVE_WITH_CHANGES,
            value=value,
        )
    )
    workspace.settle()
    form = workspace.fake.views[-1].view
    assert form["callback_id"] == ids.APPROVE_WITH_CHANGES_VIEW
    note = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {"type": "plain_text_input", "value": "bigger logo"}
        }
    }
    ack(workspace.driver.submit(MIA, form, note))
    workspace.settle()
    replies = [m.text for m in workspace.fake.messages() if "with changes" in m.text]
    assert len(replies) == 1 and "> 1. bigger logo" in replies[0]
    assert "Waiting on you* (0)" in home_text(workspace, MIA)
