"""/asset and its modal through signed requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.slack.limits import check_message
from bot.storage.asset_models import Asset
from bot.storage.audit_models import AuditEntry
from bot.storage.release_models import Release
from tests.helpers import (
    CORA,
    MEG,
    MIA,
    SAM,
    ack,
    ack_text,
    assert_pings_no_one,
    assets,
    count,
    counts,
    release_new,
)

HOSTILE = "<!channel> *x* & <https://evil|pay>"
# What Slack sends for it with should_escape: the user typed these characters.
HOSTILE_TYPED = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def new_asset(ws: Workspace, text: str, user: str = CORA) -> dict:
    return ack(ws.command(user, "/asset", f"new {text}"))


def test_new_asset_posts_its_card_which_becomes_its_home_thread(workspace: Workspace) -> None:
    text = new_asset(workspace, '"Summer tour poster" kind:poster due:+7d priority:high')["text"]
    assert "A-1" in text and "due Thu 3 Dec" in text
    (asset,) = assets(workspace)
    (card,) = workspace.fake.messages(workspace.channel)
    assert (asset.card_ts, asset.channel_id, asset.priority) == (card.ts, workspace.channel, "high")
    workspace.command(CORA, "/asset", "move A-1 stage:design")
    (notice,) = workspace.fake.thread(workspace.channel, card.ts)
    assert "brief → *design*" in notice.text and f"owner <@{CORA}>" in notice.text


def test_a_new_owner_is_mentioned_in_the_thread_not_shown_as_escaped_text(
    workspace: Workspace,
) -> None:
    new_asset(workspace, '"Tour poster" kind:poster due:+7d')
    (card,) = workspace.fake.messages(workspace.channel)
    ack(workspace.command(CORA, "/asset", f"owner A-1 <@{SAM}|sam>"))
    (notice,) = workspace.fake.thread(workspace.channel, card.ts)
    assert f"owner <@{CORA}> → *<@{SAM}>*" in notice.text
    assert "&lt;" not in notice.text


def test_an_asset_of_a_release_lives_in_the_release_thread(workspace: Workspace) -> None:
    release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:digital catno:SLV-014')
    card = workspace.fake.messages(workspace.channel)[0]
    new_asset(workspace, '"Lyric video stills" kind:social due:2027-04-01 release:slv-014', MIA)
    replies = workspace.fake.thread(workspace.channel, card.ts)
    assert "Lyric video stills" in replies[-1].text
    assert assets(workspace)[-1].owner_id == MIA


def test_hostile_text_is_shown_literally_and_pings_no_one(workspace: Workspace) -> None:
    new_asset(workspace, f'"{HOSTILE_TYPED}" kind:poster due:+7d notes:"{HOSTILE_TYPED}"')
    release_new(
        workspace,
        f'"{HOSTILE_TYPED}" artist:"{HOSTILE_TYPED}" date:2027-05-14 format:merch catno:X-1',
    )
    sent = [*workspace.fake.messages(workspace.channel)]
    assert len(sent) == 2
    for message in sent:
        assert_pings_no_one(message.text, message.blocks)
        assert "&lt;!channel&gt; *x* &amp; &lt;https://evil|pay&gt;" in json.dumps(message.blocks)
    (asset, *_rest) = assets(workspace)
    assert asset.title == HOSTILE  # stored as typed, escaped only when shown
    body = ack(workspace.command(MIA, "/asset", "show A-1"))
    assert_pings_no_one(body["text"], body["blocks"])


def test_a_release_with_1000_assets_lists_within_block_kit_limits(workspace: Workspace) -> None:
    release_new(workspace, '"Box" artist:X date:2027-05-14 format:digital catno:BOX-1')
    now = datetime(2026, 11, 26, tzinfo=UTC)
    with workspace.runtime.db.write() as session:
        release = session.scalar(select(Release))
        assert release is not None
        session.add_all(
            Asset(
                kind="other",
                title=f"Insert card {n:04d} " + "x" * 150,
                release_id=release.id,
                stage="design",
                due=date(2027, 3, 1),
                owner_id=CORA,
                priority="normal",
                created_by=CORA,
                created_at=now,
                updated_at=now,
            )
            for n in range(1000)
        )
    for text in ("show BOX-1",):
        body = ack(workspace.command(MIA, "/release", text))
        check_message(text=body["text"], blocks=body["blocks"])
        assert "more: `/asset list release:BOX-1`" in json.dumps(body["blocks"])
    body = ack(workspace.command(MIA, "/asset", "list release:BOX-1"))
    check_message(text=body["text"], blocks=body["blocks"])
    # Counting stops 1,000 past the page: a coordinator needs "lots", not a full scan.
    assert "Assets 1–20 of 1000+" in body["text"]
    assert "…and 980+ more: `/asset list release:BOX-1 page:2`" in json.dumps(
        body["blocks"], ensure_ascii=False
    )
    assert (
        "Assets 21–40 of 1003"
        in ack(workspace.command(MIA, "/asset", "list release:BOX-1 page:2"))["text"]
    )
    last = ack(workspace.command(MIA, "/asset", "list release:BOX-1 page:51"))
    assert "Assets 1001–1003 of 1003" in last["text"]


def test_list_filters_and_sorts_by_due_date(workspace: Workspace) -> None:
    new_asset(workspace, '"Poster" kind:poster due:2026-12-20')
    new_asset(workspace, '"Late banner" kind:social due:2026-11-20', MIA)
    new_asset(workspace, '"Booklet" kind:booklet due:2026-12-01 owner:<@U0MEG|meg>')

    def listed(text: str, user: str = MIA) -> list[str]:
        body = json.dumps(ack(workspace.command(user, "/asset", f"list {text}")))
        return [a for a in ("Poster", "Late banner", "Booklet") if a in body]

    everything = json.dumps(ack(workspace.command(MIA, "/asset", "list")))
    assert (
        everything.index("Late banner") < everything.index("Booklet") < everything.index("Poster")
    )
    assert listed("overdue") == ["Late banner"]
    assert listed("mine") == ["Late banner"]
    assert listed("mine", MEG) == ["Booklet"]
    assert listed("kind:poster") == ["Poster"]
    assert listed("dept:legal") == ["Booklet"]  # booklets route to label copy, legal and A&R
    assert listed("stage:brief") == ["Poster", "Late banner", "Booklet"]
    assert "No assets match" in ack_text(workspace.command(MIA, "/asset", "list stage:qc"))
    assert "doesn't understand" in ack_text(workspace.command(MIA, "/asset", "list lots"))


def test_pages_list_dated_assets_by_due_then_undated_ones_without_gaps(
    workspace: Workspace,
) -> None:
    """45 assets, 7 of them without a due date (imported), over three pages of 20."""
    now = datetime(2026, 11, 26, tzinfo=UTC)
    with workspace.runtime.db.write() as session:
        session.add_all(
            Asset(
                kind="poster",
                title=f"Item {n:02d}",
                stage="design",
                due=None if n % 6 == 0 else date(2027, 1, 1 + (n * 7) % 28),
                owner_id=CORA,
                priority="normal",
                created_by=CORA,
                created_at=now,
                updated_at=now,
            )
            for n in range(1, 46)
        )
    with workspace.runtime.db.read() as session:
        expected = [
            f"Item {asset.title[-2:]}"
            for asset in sorted(
                session.scalars(select(Asset)), key=lambda a: (a.due is None, a.due, a.id)
            )
        ]
    seen: list[str] = []
    for page in (1, 2, 3):
        body = ack(workspace.command(MIA, "/asset", f"list page:{page}"))
        shown = json.dumps(body["blocks"])
        seen += sorted((title for title in expected if title in shown), key=shown.index)
    assert seen == expected
    assert "Assets 41–45 of 45" in body["text"]


def test_illegal_moves_are_refused_with_the_legal_ones_and_nothing_changes(
    workspace: Workspace,
) -> None:
    new_asset(workspace, '"Poster" kind:poster due:+7d')
    before = counts(workspace)
    text = ack_text(workspace.command(CORA, "/asset", "move A-1 stage:prepress"))
    assert "can't go from brief to prepress" in text and "design, on_hold, cancelled" in text
    text = ack_text(workspace.command(CORA, "/asset", "move a-1 stage:approved"))
    assert "/approval request" in text
    assert counts(workspace) == before and assets(workspace)[0].stage == "brief"


def test_only_the_owner_or_a_coordinator_changes_an_asset(workspace: Workspace) -> None:
    new_asset(workspace, '"Banner" kind:social due:+7d', MIA)
    before = counts(workspace)
    for text in ("move A-1 stage:design", "due A-1 +9d", "owner A-1 <@U0SAM|sam>", "hold A-1"):
        refusal = ack_text(workspace.command(SAM, "/asset", text))
        assert "Only its owner <@U0MIA> or a coordinator" in refusal
    refusal = ack_text(workspace.command(MIA, "/asset", 'cancel A-1 reason:"no"'))
    assert "Only coordinators can cancel" in refusal
    assert counts(workspace) == before
    assert "stage is now design" in ack_text(
        workspace.command(MIA, "/asset", "move A-1 stage:design")
    )
    assert "stage is now review" in ack_text(
        workspace.command(CORA, "/asset", "move A-1 stage:review")
    )


def test_due_owner_link_hold_resume_and_cancel_are_audited(workspace: Workspace) -> None:
    new_asset(workspace, '"Poster" kind:poster due:+7d')
    workspace.command(CORA, "/asset", "move A-1 stage:design")
    ack(workspace.command(CORA, "/asset", "due A-1 2027-01-15"))
    ack(workspace.command(CORA, "/asset", "owner A-1 <@U0MEG|meg>"))
    ack(workspace.command(MEG, "/asset", 'link A-1 https://files.example.com/p.pdf "Final PDF"'))
    ack(workspace.command(MEG, "/asset", "hold A-1"))
    assert assets(workspace)[0].stage == "on_hold"
    ack(workspace.command(MEG, "/asset", "move A-1 stage:design"))
    ack(workspace.command(CORA, "/asset", 'cancel A-1 reason:"Tour cancelled"'))
    (asset,) = assets(workspace)
    assert (asset.due, asset.owner_id, asset.stage) == (date(2027, 1, 15), MEG, "cancelled")
    assert asset.cancel_reason == "Tour cancelled"
    with workspace.runtime.db.read() as session:
        log = [
            (e.actor, e.action) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert log == [
        (CORA, "create"),
        (CORA, "stage"),
        (CORA, "due"),
        (CORA, "owner"),
        (MEG, "link"),
        (MEG, "stage"),
        (MEG, "stage"),
        (CORA, "stage"),
    ]
    shown = ack_text(workspace.command(SAM, "/asset", "show A-1"))
    assert "Final PDF" in shown and "Tour cancelled" in shown
    assert "can't change any more" in ack_text(workspace.command(CORA, "/asset", "due A-1 +3d"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('"P" kind:sleeve due:+7d', "isn't a kind"),
        ('"P" kind:poster due:2027-13-01', "isn't a real date"),
        ('"P" kind:poster', "`due:` is required"),
        ('"P" kind:poster due:+7d release:NOPE-1', "There is no release"),
        ('"P" kind:poster due:+7d priority:asap', "priority:high"),
        ('"P" kind:poster due:+7d owner:@nobody', "Pick the person"),
        (f'"{"x" * 201}" kind:poster due:+7d', "keep it under 200"),
    ],
)
def test_a_bad_asset_is_refused_and_writes_nothing(
    workspace: Workspace, text: str, says: str
) -> None:
    body = new_asset(workspace, text)
    assert body["response_type"] == "ephemeral" and says in body["text"]
    assert counts(workspace) == (0, 0, 0)
    assert workspace.fake.messages() == []


def modal_values(**fields: dict) -> dict:
    return {block: {action: value} for block, (action, value) in fields.items()}


def test_the_modal_opens_and_its_validation_errors_land_on_the_right_field(
    workspace: Workspace,
) -> None:
    assert workspace.command(MIA, "/asset", "new").body == ""
    (opened,) = workspace.fake.views
    view = opened.view
    assert view["callback_id"] == ids.ASSET_NEW_VIEW
    empty_title = {
        ids.ASSET_TITLE_BLOCK: {ids.ASSET_TITLE_INPUT: {"type": "plain_text_input", "value": "  "}},
        ids.ASSET_KIND_BLOCK: {
            ids.ASSET_KIND_INPUT: {"type": "static_select", "selected_option": {"value": "poster"}}
        },
        ids.ASSET_DUE_BLOCK: {
            ids.ASSET_DUE_INPUT: {"type": "datepicker", "selected_date": "2027-01-10"}
        },
    }
    response = workspace.driver.submit(MIA, view, empty_title)
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {ids.ASSET_TITLE_BLOCK: "Give the asset a title, e.g. Front cover."},
    }
    bad_kind = empty_title | {
        ids.ASSET_TITLE_BLOCK: {
            ids.ASSET_TITLE_INPUT: {"type": "plain_text_input", "value": "Poster"}
        },
        ids.ASSET_KIND_BLOCK: {
            ids.ASSET_KIND_INPUT: {"type": "static_select", "selected_option": {"value": "hat"}}
        },
    }
    errors = json.loads(workspace.driver.submit(MIA, view, bad_kind).body)["errors"]
    assert list(errors) == [ids.ASSET_KIND_BLOCK]
    assert count(workspace, Asset) == 0
    good = bad_kind | {
        ids.ASSET_KIND_BLOCK: {
            ids.ASSET_KIND_INPUT: {"type": "static_select", "selected_option": {"value": "poster"}}
        },
        ids.ASSET_OWNER_BLOCK: {
            ids.ASSET_OWNER_INPUT: {"type": "users_select", "selected_user": MEG}
        },
    }
    response = workspace.driver.submit(MIA, view, good)
    workspace.settle()
    assert response.status == 200 and response.body == ""
    (asset,) = assets(workspace)
    assert (asset.title, asset.kind, asset.due, asset.owner_id) == (
        "Poster",
        "poster",
        date(2027, 1, 10),
        MEG,
    )
    (card,) = workspace.fake.messages(workspace.channel)
    assert asset.card_ts == card.ts


def test_a_forged_private_metadata_is_refused_on_the_form(workspace: Workspace) -> None:
    workspace.command(MIA, "/asset", "new")
    view = dict(workspace.fake.views[0].view, private_metadata="{not json")
    body = json.loads(workspace.driver.submit(MIA, view, {}).body)
    assert body["response_action"] == "errors" and "out of date" in json.dumps(body)
    assert count(workspace, Asset) == 0


def test_show_lists_the_latest_history_oldest_first_with_the_links(workspace: Workspace) -> None:
    new_asset(workspace, '"Tray card" kind:poster due:2027-02-01')
    new_asset(workspace, '"Disc label" kind:poster due:2027-02-01')
    ack(workspace.command(CORA, "/asset", 'link A-1 https://files.example.com/p.pdf "Final PDF"'))
    days = [f"2027-01-{day:02d}" for day in range(1, 26)]
    for day in days:
        ack(workspace.command(CORA, "/asset", f"due A-1 {day}"))
        ack(workspace.command(CORA, "/asset", "due A-2 2027-03-01"))

    shown = ack_text(workspace.command(SAM, "/asset", "show A-1"))

    assert "Final PDF" in shown
    # 27 entries (create, link, 25 due dates): the latest 20, oldest first, none of A-2's.
    assert re.findall(r"due → (\d{4}-\d\d-\d\d)", shown) == days[-20:]
    assert "2027-03-01" not in shown.replace("due A-1", "")
    assert ack_text(workspace.command(SAM, "/asset", "show A-3")).startswith(
        "There is no asset A-3"
    )
