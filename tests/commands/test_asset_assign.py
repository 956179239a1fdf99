"""/asset assign and `/asset new freelancer:` through signed requests, on SQLite and PostgreSQL.

Every workspace starts with F-1 Fay Moreau (Slack U0FAY, 450 GBP per asset).
"""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.storage.audit_models import AuditEntry
from bot.storage.freelancer_models import Assignment
from tests.helpers import CORA, MIA, SAM, ack, ack_text, assets, counts, release_new


def asset_cmd(ws: Workspace, text: str, user: str = CORA) -> str:
    return ack(ws.command(user, "/asset", text))["text"]


def add(ws: Workspace, text: str) -> None:
    assert "Added" in ack_text(ws.command(CORA, "/freelancer", f"add {text}"))


def history(ws: Workspace) -> list[tuple[int, int, bool]]:
    with ws.runtime.db.read() as session:
        rows = session.scalars(select(Assignment).order_by(Assignment.id))
        return [(a.asset_id, a.freelancer_id, a.unassigned_at is None) for a in rows]


def test_assigning_posts_in_the_home_thread_and_moves_a_brief_to_design(
    workspace: Workspace,
) -> None:
    asset_cmd(workspace, 'new "Poster" kind:poster due:+7d', MIA)
    text = asset_cmd(workspace, "assign A-1 F-1", MIA)
    assert "A-1 is now assigned to *F-1* Fay Moreau" in text and "brief to design" in text
    card, notice = workspace.fake.messages(workspace.channel)
    assert workspace.fake.thread(workspace.channel, card.ts) == [notice]
    assert "assigned to <@U0FAY> by <@U0MIA>" in notice.text and "*design*" in notice.text
    (asset,) = assets(workspace)
    assert (asset.stage, asset.freelancer_id) == ("design", 1)
    with workspace.runtime.db.read() as session:
        log = [(e.entity_id, e.action) for e in session.scalars(select(AuditEntry))]
    assert log[-3:] == [("A-1", "freelancer"), ("F-1", "assign"), ("A-1", "stage")]


def test_a_freelancer_outside_slack_is_named_and_a_release_asset_uses_the_release_thread(
    workspace: Workspace,
) -> None:
    add(workspace, '"Ola <b> Berg" email:ola@example.com')
    release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:digital catno:SLV-014')
    text = asset_cmd(workspace, "assign A-1 ola", CORA)
    assert "has no rate agreement in force" in text  # the coordinator is warned
    card = workspace.fake.messages(workspace.channel)[0]
    notice = workspace.fake.thread(workspace.channel, card.ts)[-1]
    assert "assigned to Ola &lt;b&gt; Berg by <@U0CORA>" in notice.text


def test_reassigning_keeps_the_history(workspace: Workspace) -> None:
    add(workspace, '"Jane Doe" email:jane@example.com rate:40 per:hour currency:EUR')
    asset_cmd(workspace, 'new "Poster" kind:poster due:+7d')
    asset_cmd(workspace, "assign A-1 F-1")
    text = asset_cmd(workspace, "assign A-1 F-2")
    assert "(was F-1 Fay Moreau)" in text and "no rate agreement" not in text
    assert "already assigned to F-2" in asset_cmd(workspace, "assign A-1 jane doe")
    assert history(workspace) == [(1, 1, False), (1, 2, True)]
    assert assets(workspace)[0].freelancer_id == 2
    shown = ack_text(workspace.command(MIA, "/freelancer", "show F-1"))
    assert "Assignment history" in shown and "A-1" in shown


def test_names_resolve_to_exactly_one_active_freelancer(workspace: Workspace) -> None:
    add(workspace, '"Jane Doe" email:jane@example.com')
    add(workspace, '"Jane Smith" email:smith@example.com')
    add(workspace, '"Jo Doe" email:jo@example.com')
    asset_cmd(workspace, 'new "Poster" kind:poster due:+7d')
    before = counts(workspace)
    text = asset_cmd(workspace, "assign A-1 jane")
    assert "`jane` matches 2 freelancers: F-2 `Jane Doe`, F-3 `Jane Smith`" in text
    assert "No freelancer matches `Zed`" in asset_cmd(workspace, "assign A-1 Zed")
    assert "/freelancer list" in asset_cmd(workspace, "assign A-1 Zed")
    assert counts(workspace) == before and history(workspace) == []
    assert "*F-4* Jo Doe" in asset_cmd(workspace, "assign A-1 JO DOE")  # whole name, any case
    assert "*F-2* Jane Doe" in asset_cmd(workspace, 'assign A-1 "jane d"')
    assert "*F-1* Fay Moreau" in asset_cmd(workspace, "assign A-1 <@U0FAY|fay>")


def test_archived_freelancers_cannot_be_assigned_by_id_or_name(workspace: Workspace) -> None:
    add(workspace, '"Jane Doe" email:jane@example.com')
    add(workspace, '"Jane Smith" email:smith@example.com')
    ack(workspace.command(CORA, "/freelancer", "archive F-3"))
    asset_cmd(workspace, 'new "Poster" kind:poster due:+7d')
    before = counts(workspace)
    assert "F-3 `Jane Smith` is archived" in asset_cmd(workspace, "assign A-1 F-3")
    assert "is archived" in asset_cmd(workspace, "assign A-1 jane smith")
    assert counts(workspace) == before and assets(workspace)[0].stage == "brief"
    # An archived namesake doesn't make the name ambiguous.
    assert "*F-2* Jane Doe" in asset_cmd(workspace, "assign A-1 jane")


def test_only_the_owner_or_a_coordinator_assigns_and_closed_assets_refuse(
    workspace: Workspace,
) -> None:
    asset_cmd(workspace, 'new "Banner" kind:social due:+7d', MIA)
    refusal = asset_cmd(workspace, "assign A-1 F-1", SAM)
    assert "Only its owner <@U0MIA> or a coordinator can assign a freelancer to A-1" in refusal
    asset_cmd(workspace, 'cancel A-1 reason:"dropped"')
    assert "cancelled; it can't be assigned" in asset_cmd(workspace, "assign A-1 F-1")
    assert "There is no asset A-9" in asset_cmd(workspace, "assign A-9 F-1")
    assert "Who?" in asset_cmd(workspace, "assign A-1")
    assert history(workspace) == []


def test_new_asset_with_a_freelancer_is_assigned_in_one_go(workspace: Workspace) -> None:
    text = asset_cmd(workspace, 'new "Flyer" kind:promo due:+3d freelancer:F-1', MIA)
    assert "Created *A-1* Flyer · promo · design" in text and "assigned to *F-1*" in text
    card, notice = workspace.fake.messages(workspace.channel)
    assert notice.thread_ts == card.ts and "<@U0FAY>" in notice.text
    assert history(workspace) == [(1, 1, True)]
    before = counts(workspace)
    assert "No freelancer matches" in asset_cmd(
        workspace, 'new "X" kind:promo due:+3d freelancer:Zed'
    )
    assert counts(workspace) == before  # the asset isn't created either


def test_no_channel_or_thread_message_ever_carries_a_rate(workspace: Workspace) -> None:
    add(workspace, '"Jane Doe" email:jane@example.com rate:62.5 per:hour currency:EUR')
    add(
        workspace,
        '"Ola Berg" email:ola@example.com slack:<@U0SAM|sam> rate:1234.56 per:day currency:USD',
    )
    ack(workspace.command(CORA, "/freelancer", "rate F-2 70.25 from:+1d"))
    release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:cd,vinyl catno:SLV-014')
    asset_cmd(workspace, 'new "Poster" kind:poster due:+7d freelancer:F-1')
    for ref in ("F-2", "ola", "<@U0FAY|fay>"):
        assert "now assigned" in asset_cmd(workspace, f"assign A-1 {ref}")  # a release asset
        assert "now assigned" in asset_cmd(workspace, f"assign A-9 {ref}")  # the poster
    asset_cmd(workspace, "move A-9 stage:review")
    for user in (CORA, MIA):
        for text in ("list", "list all", "show F-1", "show F-2", "show ola"):
            ack(workspace.command(user, "/freelancer", text))
    ack(workspace.command(CORA, "/freelancer", "archive F-3"))
    sent = workspace.fake.messages()
    assert len(sent) == 10
    public = [m.text + json.dumps(m.blocks) + json.dumps(m.edits) for m in sent]
    public += [json.dumps(r.__dict__, default=str) for r in workspace.fake.responses]
    money = re.compile(r"450|62\.5|1,?234|70\.25|GBP|EUR|USD|per (hour|day|asset)")
    for shown in public:
        assert not money.search(shown), shown
