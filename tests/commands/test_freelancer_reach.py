"""What the assigned freelancer may do, what `mine` and `/digest me` cover, and who sees a
freelancer's contact details."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from tests.digest_support import digests, sweeper
from tests.helpers import CORA, FAY, MIA, SAM, ack, ack_text, assets


def assigned_poster(ws: Workspace) -> None:
    ack(ws.command(CORA, "/asset", 'new "Tour poster" kind:poster due:+3d'))
    assert "assigned" in ack_text(ws.command(CORA, "/asset", "assign A-1 F-1"))  # Fay, @fay
    assert assets(ws)[0].stage == "design"


def test_the_assigned_freelancer_adds_links_and_hands_her_design_in_for_review(
    workspace: Workspace,
) -> None:
    assigned_poster(workspace)
    linked = ack_text(workspace.command(FAY, "/asset", "link A-1 https://files.example.com/v1.pdf"))
    assert linked.startswith("Linked to A-1")
    assert "Only" in ack_text(workspace.command(FAY, "/asset", "due A-1 +30d"))
    assert "Only" in ack_text(workspace.command(SAM, "/asset", "move A-1 stage:review"))
    ack(workspace.command(FAY, "/asset", "move A-1 stage:review"))
    assert assets(workspace)[0].stage == "review"
    refused = ack_text(workspace.command(FAY, "/asset", "move A-1 stage:design"))
    assert "Only its owner <@U0CORA> or a coordinator can move A-1" in refused
    assert assets(workspace)[0].stage == "review"


def test_mine_and_the_personal_digest_cover_assigned_assets(
    workspace: Workspace, clock: FixedClock
) -> None:
    assigned_poster(workspace)
    assert "Tour poster" in ack_text(workspace.command(FAY, "/asset", "list mine"))
    assert "Tour poster" not in ack_text(workspace.command(MIA, "/asset", "list mine"))
    for user in (FAY, CORA):
        ack(workspace.command(user, "/digest", "me on"))
    clock.advance(timedelta(days=1))  # a weekday after 09:00 in the workspace zone
    report = sweeper(workspace).run()
    sent = {line.split()[1] for line in report.posted}
    assert sent == {FAY, CORA}  # the owner and the freelancer each get the poster
    dm = workspace.fake.dm_channel(FAY)
    assert any("Tour poster" in str(m.blocks) for m in digests(workspace, dm))


def test_contact_details_are_for_department_members(workspace: Workspace) -> None:
    for user in (CORA, MIA):  # a coordinator; a member of marketing
        shown = ack_text(workspace.command(user, "/freelancer", "show F-1"))
        assert "fay" in shown.lower() and "@" in shown.split("Email")[1][:60]
    for user in (SAM, FAY):  # in no department; a guest
        hidden = ack_text(workspace.command(user, "/freelancer", "show F-1"))
        assert "for department members" in hidden
        assert "example" not in hidden.split("Email")[1][:80]


def test_a_slack_user_belongs_to_one_freelancer(workspace: Workspace) -> None:
    ack(workspace.command(CORA, "/freelancer", 'add "Nia Osei" email:nia@example.com'))
    refused = ack_text(workspace.command(CORA, "/freelancer", "edit F-2 slack:<@U0FAY|fay>"))
    assert "<@U0FAY> is already F-1 Fay Moreau" in refused
    again = ack_text(
        workspace.command(
            CORA, "/freelancer", 'add "Fay Two" email:f2@example.com slack:<@U0FAY|fay>'
        )
    )
    assert "already F-1" in again
