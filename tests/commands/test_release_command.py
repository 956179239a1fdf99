"""/release through signed requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.storage.audit_models import AuditEntry
from bot.storage.release_models import Release
from tests.helpers import CORA, MIA, ack, ack_text, assets, counts, release_new

STREET = date(2027, 5, 14)

# (kind, due) for each format with the street date 2027-05-14: the design's lead times
# (vinyl art ~12 weeks ahead, CD ~7, digipak ~8, cassette ~8, digital ~4, merch ~6).
EXPECTED = {
    "cd": {
        ("booklet", date(2027, 3, 26)),
        ("tray_card", date(2027, 3, 26)),
        ("disc_label", date(2027, 3, 26)),
    },
    "digipak": {
        ("digipak", date(2027, 3, 19)),
        ("booklet", date(2027, 3, 19)),
        ("disc_label", date(2027, 3, 19)),
    },
    "vinyl": {
        ("jacket", date(2027, 2, 19)),
        ("inner_sleeve", date(2027, 2, 19)),
        ("vinyl_label", date(2027, 2, 26)),
    },
    "vinyl7": {("jacket", date(2027, 2, 19)), ("vinyl_label", date(2027, 2, 26))},
    "cassette": {("cassette_jcard", date(2027, 3, 19)), ("other", date(2027, 3, 19))},
    "digital": {("social", date(2027, 4, 16))},
    "merch": {("tshirt", date(2027, 4, 2)), ("poster", date(2027, 4, 2))},
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_a_release_of_each_format_creates_its_assets_back_scheduled(
    workspace: Workspace, fmt: str
) -> None:
    response = release_new(
        workspace, f'"Night Drive" artist:"The Vels" date:2027-05-14 format:{fmt} catno:SLV-1{fmt}'
    )
    assert "Created SLV-" in ack(response)["text"]
    created = assets(workspace)
    cover = [a for a in created if a.kind == "cover"]
    assert len(cover) == 1
    others = {(a.kind, a.due) for a in created if a.kind != "cover"}
    assert others == EXPECTED[fmt]
    assert cover[0].due == min(a.due for a in created)
    assert all(a.stage == "brief" and a.owner_id == CORA for a in created)
    # The card lists every asset and became the home thread of all of them.
    card = workspace.fake.messages(workspace.channel)[-1]
    for asset in created:
        assert f"*A-{asset.id}*" in json.dumps(card.blocks)
    with workspace.runtime.db.read() as session:
        release = session.scalar(select(Release))
        assert release is not None and release.card_ts == card.ts


def test_two_formats_share_one_cover_due_with_the_earliest(workspace: Workspace) -> None:
    release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:cd,vinyl catno:SLV-014')
    created = assets(workspace)
    covers = [a for a in created if a.kind == "cover"]
    assert len(covers) == 1 and covers[0].due == STREET - timedelta(weeks=12)
    assert len({a.title for a in created}) == len(created)


def test_assets_already_late_are_flagged_with_the_reason(workspace: Workspace) -> None:
    # Today is 2026-11-26: vinyl art for a street date six weeks out is already late.
    release_new(workspace, '"Rush" artist:X date:2027-01-08 format:vinyl catno:RSH-1')
    card = json.dumps(workspace.fake.messages(workspace.channel)[-1].blocks)
    assert "street date too close: Vinyl needs 12 weeks" in card
    assert "days late" in card


def test_move_shifts_open_assets_audits_and_says_so_in_the_thread(workspace: Workspace) -> None:
    release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:cd catno:SLV-014')
    before = {a.id: a.due for a in assets(workspace)}
    workspace.command(CORA, "/asset", "move A-2 stage:design")
    workspace.command(CORA, "/asset", 'cancel A-3 reason:"not needed"')
    response = workspace.command(CORA, "/release", "move slv-014 date:2027-06-01")
    assert "moved 18 days later" in ack(response)["text"]
    after = {a.id: a.due for a in assets(workspace)}
    for asset_id, due in before.items():
        expected = due if asset_id == 3 else due + timedelta(days=18)  # cancelled stays put
        assert after[asset_id] == expected
    with workspace.runtime.db.read() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("due") == 3 and actions[-1] == "move"
    card = workspace.fake.messages(workspace.channel)[0]
    thread = workspace.fake.thread(workspace.channel, card.ts)
    assert any("moved 18 days later" in reply.text for reply in thread)
    assert card.edits, "the card is redrawn with the new dates"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('"T" artist:X date:2027-02-30 format:cd catno:A-1', "February 2027 has 28 days"),
        ('"T" artist:X date:2027-05-14 format:cd catno:A-1 upc:036000241456', "upc"),
        ('"T" artist:X date:2027-05-14 format:8track catno:A-1', "cd"),
        ('"T" date:2027-05-14 format:cd catno:A-1', "artist:"),
        ('"T" artist:X date:2027-05-14 format:cd catno:"A 1"', "`catno:`"),
        ("artist:X date:2027-05-14 format:cd catno:A-1", "title"),
        ('"T" artist:X date:2027-05-14 format:cd catno:A-1 colour:red', "colour"),
    ],
)
def test_a_bad_release_is_refused_naming_the_field_and_writes_nothing(
    workspace: Workspace, text: str, says: str
) -> None:
    before = counts(workspace)
    body = ack(release_new(workspace, text))
    assert body["response_type"] == "ephemeral"
    assert says in body["text"]
    assert counts(workspace) == before
    assert workspace.fake.messages(workspace.channel) == []


def test_catalog_numbers_are_unique_regardless_of_case(workspace: Workspace) -> None:
    release_new(workspace, '"One" artist:X date:2027-05-14 format:digital catno:SLV-014')
    before = counts(workspace)
    text = ack(release_new(workspace, '"Two" artist:X date:2027-05-14 format:cd catno:slv-014'))[
        "text"
    ]
    assert "SLV-014 is already used" in text
    assert counts(workspace) == before


def test_only_coordinators_create_or_move_releases(workspace: Workspace) -> None:
    text = ack(release_new(workspace, '"T" artist:X date:2027-05-14 format:cd catno:A-1', MIA))[
        "text"
    ]
    assert "Only coordinators can create releases" in text
    assert counts(workspace) == (0, 0, 0)


def test_a_valid_upc_is_kept(workspace: Workspace) -> None:
    release_new(workspace, '"T" artist:X date:2027-05-14 format:cd catno:A-1 upc:036000241457')
    assert "UPC 036000241457" in ack_text(workspace.command(MIA, "/release", "show a-1"))


def test_list_and_show(workspace: Workspace) -> None:
    release_new(workspace, '"Later" artist:X date:2027-09-01 format:digital catno:B-2')
    release_new(workspace, '"Sooner" artist:X date:2027-05-14 format:cd catno:A-1')
    listing = ack_text(workspace.command(MIA, "/release", "list"))
    assert listing.index("A-1") < listing.index("B-2")
    assert "There is no release `ZZ-9`" in ack_text(workspace.command(MIA, "/release", "show zz-9"))


def test_a_templates_file_replaces_the_built_in_ones(
    database_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "templates.yaml"
    path.write_text(
        "formats:\n"
        "  cd:\n"
        "    label: CD\n"
        "    lead_weeks: 10\n"
        "    assets:\n"
        "      - {kind: booklet, title: Booklet (24 pages), days_before: 70}\n"
    )
    ws = Workspace.start(database_url=database_url, clock=clock, templates_path=str(path))
    try:
        release_new(ws, '"T" artist:X date:2027-05-14 format:cd catno:A-1')
        created = {(a.kind, a.title, a.due) for a in assets(ws)}
    finally:
        ws.close()
    assert created == {
        ("cover", "Front cover", date(2027, 3, 5)),
        ("booklet", "Booklet (24 pages)", date(2027, 3, 5)),
    }
