"""/release edit and /release cancel: details, formats added and dropped, a cancelled release."""

from __future__ import annotations

import json

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, MIA, ack, ack_text, assets, counts, release_new
from tests.interactions.approval_support import round_messages


def tapes(ws: Workspace) -> None:
    ack(release_new(ws, '"Tapes" artist:X date:2027-05-14 format:cd catno:SLV-014'))


def test_edit_changes_details_adds_and_drops_formats(workspace: Workspace) -> None:
    tapes(workspace)
    card = workspace.fake.messages(workspace.channel)[0]
    cd_assets = {a.id for a in assets(workspace)}
    reply = ack_text(
        workspace.command(
            CORA, "/release", 'edit SLV-014 title:"Midnight Tapes" upc:036000241457 format:+vinyl'
        )
    )
    assert "updated by <@U0CORA>: title, upc, formats." in reply and "New assets:" in reply
    vinyl = [a for a in assets(workspace) if a.format == "vinyl"]
    assert vinyl and all(a.stage == "brief" for a in vinyl)
    redrawn = workspace.fake.message(card.channel, card.ts)
    assert redrawn is not None and "Midnight Tapes" in json.dumps(redrawn.blocks)
    dropped = ack_text(workspace.command(CORA, "/release", "edit SLV-014 format:-cd"))
    assert "Cancelled with the format:" in dropped
    by_id = {a.id: a for a in assets(workspace)}
    assert {by_id[i].stage for i in cd_assets if by_id[i].format == "cd"} == {"cancelled"}
    assert by_id[min(cd_assets)].stage == "brief"  # the cover stays
    assert "needs at least one format" in ack_text(
        workspace.command(CORA, "/release", "edit SLV-014 format:-vinyl")
    )
    assert "Only coordinators" in ack_text(
        workspace.command(MIA, "/release", 'edit SLV-014 title:"x"')
    )


def test_cancel_cancels_the_release_its_open_assets_and_their_rounds(workspace: Workspace) -> None:
    tapes(workspace)
    ack(workspace.command(CORA, "/approval", "request A-1 depts:marketing"))
    before = counts(workspace)
    assert "reason:" in ack_text(workspace.command(CORA, "/release", "cancel SLV-014"))
    assert counts(workspace) == before
    reply = ack_text(workspace.command(CORA, "/release", 'cancel SLV-014 reason:"Shelved"'))
    assert "was cancelled by <@U0CORA>: Shelved." in reply
    assert {a.stage for a in assets(workspace)} == {"cancelled"}
    assert "Cancelled: A-1 was cancelled" in json.dumps(round_messages(workspace)[0].blocks)
    assert "cancelled" in ack_text(workspace.command(MIA, "/release", "list"))
    assert "can't move" in ack_text(workspace.command(CORA, "/release", "move SLV-014 date:+30w"))
    assert "is cancelled" in ack_text(workspace.command(CORA, "/release", 'edit SLV-014 title:"x"'))
