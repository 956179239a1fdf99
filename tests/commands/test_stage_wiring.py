"""/asset move asks the stage machine with the asset's own facts: printed or not, held from."""

from __future__ import annotations

from bot.devtools.workspace import Workspace
from bot.storage.asset_models import Asset
from tests.helpers import CORA, ack, ack_text, assets


def set_stage(ws: Workspace, stage: str) -> None:
    with ws.runtime.db.write() as session:
        session.query(Asset).update({"stage": stage})


def test_an_asset_that_is_not_printed_never_enters_prepress(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Launch GIF" kind:social due:+7d'))
    set_stage(workspace, "approved")
    refused = ack_text(workspace.command(CORA, "/asset", "move A-1 stage:prepress"))
    assert (
        "can't go from approved to prepress" in refused and assets(workspace)[0].stage == "approved"
    )
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    with workspace.runtime.db.write() as session:
        session.query(Asset).filter(Asset.id == 2).update({"stage": "approved"})
    ack(workspace.command(CORA, "/asset", "move A-2 stage:prepress"))  # a printed item may
    assert assets(workspace)[1].stage == "prepress"


def test_a_hold_resumes_only_to_the_stage_it_was_held_from(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+7d'))
    ack(workspace.command(CORA, "/asset", "move A-1 stage:design"))
    ack(workspace.command(CORA, "/asset", "move A-1 stage:review"))
    ack(workspace.command(CORA, "/asset", "hold A-1"))
    refused = ack_text(workspace.command(CORA, "/asset", "move A-1 stage:design"))
    assert "From on_hold it can go to: review, cancelled" in refused
    ack(workspace.command(CORA, "/asset", "move A-1 stage:review"))
    assert assets(workspace)[0].stage == "review"
