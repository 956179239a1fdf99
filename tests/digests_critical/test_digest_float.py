"""The digest ranks late work by float and names the street dates at risk, on SQLite and
PostgreSQL, through the same content and messages the scheduled digest posts."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.digests.content import DigestItem, build_digest, build_personal
from bot.digests.messages import channel_digest, personal_digest
from bot.domain.templates import load_stage_days
from bot.slack.limits import check_message
from tests.conftest import TODAY
from tests.digest_support import add_assets
from tests.digests_critical.support import NOW, add_release, asset, counting_selects
from tests.helpers import CORA, MEG, ack


def _catalogue(ws: Workspace) -> None:
    """Six releases and eleven assets; the float of each late one is in the comments."""
    tapes = add_release(ws, "SLV-014", "Midnight Tapes", days=41, formats="vinyl,digital")
    box = add_release(ws, "SLV-020", "Box Set", days=169, formats="cd")
    dropped = add_release(ws, "SLV-030", "Dropped", days=20, formats="cd", cancelled=True)
    past = add_release(ws, "SLV-040", "Last Week", days=-1, formats="cd")
    slip = add_release(ws, "SLV-050", "Slipcase", days=30, formats="digipak")
    double = add_release(ws, "SLV-060", "Double Pack", days=60, formats="cd,vinyl")
    add_assets(
        ws,
        # prepress 5 + plant 56 + qc 3 = 64 days, 41 left: float -23
        asset("Vinyl jacket", "jacket", "prepress", release=tapes, format="vinyl", due=-2),
        # design on: 14 + 5 + 2 + 5 + 56 + 3 = 85 days: float -44
        asset(
            "Vinyl label — side A", "vinyl_label", "design", release=tapes, format="vinyl", due=-1
        ),
        # social art ends at approved: 5 + 14 + 5 + 2 = 26 days: float +15
        asset("Streaming banner", "social", "brief", release=tapes, format="digital", due=-10),
        # 14 + 5 + 2 + 5 + 21 + 3 = 50 days, 169 left: float +119, though 30 days late
        asset("CD booklet", "booklet", "design", release=box, format="cd", due=-30),
        # the cover of a CD: 55 days: float +114
        asset("Front cover", "cover", "brief", release=box, due=-5),
        # no release, so its own due date: -3 - (5 + 2 + 5 + 28 + 3): float -46
        asset("Tour poster", "poster", "review", due=-3, owner=MEG),
        # its release is cancelled: never at risk
        asset("CD tray card", "tray_card", "design", release=dropped, format="cd", due=10),
        # the street date has passed: late (float -1 - 3 = -4), no longer "at risk"
        asset("CD disc label", "disc_label", "qc", release=past, format="cd", due=-20),
        # held from design: 57 days, 30 left; counted under On hold, not Overdue
        asset("Digipak", "digipak", "on_hold", release=slip, format="digipak", held_from="design"),
        # the cover waits for the slowest format (vinyl): 64 days, 60 left
        asset("Double cover", "cover", "prepress", release=double, due=5),
        # done: needs nothing
        asset("Old jacket", "jacket", "done", release=tapes, format="vinyl", due=-40),
    )


AT_RISK = [
    "*SLV-014* Midnight Tapes street date at risk: Vinyl label — side A (A-2) needs 85 days,"
    " 41 left",
    "*SLV-050* Slipcase street date at risk: Digipak (A-9) needs 57 days, 30 left",
    "*SLV-060* Double Pack street date at risk: Double cover (A-10) needs 64 days, 60 left",
]
# Least float first, ties by due date.
OVERDUE = [6, 2, 1, 8, 3, 5, 4]


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every line of the sections' text, in order (not the header, not the context lines)."""
    texts = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    return [line for text in texts for line in text.split("\n")]


def test_late_work_is_ranked_by_float_and_street_dates_at_risk_come_first(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLEEVE_TEMPLATES", raising=False)  # the shipped stage days
    _catalogue(workspace)
    with workspace.runtime.db.read() as session, counting_selects(workspace) as statements:
        content = build_digest(session, day=TODAY, now=NOW)
    assert len(statements) == 6  # one query a section, whatever the data
    assert [item.asset_id for item in content.overdue.items] == OVERDUE
    floats = {item.asset_id: item.float_days for item in content.overdue.items}
    assert floats == {6: -46, 2: -44, 1: -23, 8: -4, 3: 15, 5: 114, 4: 119}
    text, blocks = channel_digest(content)
    check_message(text=text, blocks=blocks)
    lines = _texts(blocks)
    assert lines[0] == "*Street dates at risk* (3)"
    assert lines[1:4] == AT_RISK
    assert lines[4] == "*Overdue* (7)"
    groups = [line for line in lines[5:] if not line.startswith("•")][:4]
    assert groups == [
        "_Not part of a release_",
        "*SLV-014* Midnight Tapes",
        "*SLV-040* Last Week",
        "*SLV-020* Box Set",
    ]
    body = json.dumps(blocks, ensure_ascii=False)
    titles = ["Tour poster", "Vinyl label — side A", "Vinyl jacket", "Streaming banner"]
    titles += ["CD disc label", "Front cover", "CD booklet"]
    positions = [body.index(f"{title} · ") for title in titles]
    assert positions == sorted(positions)
    assert text == (
        "Production digest for Thu 26 Nov: 3 street dates at risk, 7 overdue,"
        " 1 due in the next 7 days, 1 on hold"
    )


def test_the_preview_shows_the_same_and_fits_a_message(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLEEVE_TEMPLATES", raising=False)
    _catalogue(workspace)
    body = ack(workspace.command(CORA, "/digest", "preview"))
    check_message(text=body["text"], blocks=body["blocks"])
    lines = _texts(body["blocks"])
    assert lines[1:4] == AT_RISK
    assert body["text"].startswith("Production digest for Thu 26 Nov: 3 street dates at risk")


def test_the_personal_digest_ranks_late_work_by_float_too(workspace: Workspace) -> None:
    _catalogue(workspace)
    with workspace.runtime.db.read() as session:
        cora, meg = build_personal(session, user_ids=[CORA, MEG], day=TODAY)
    assert [item.asset_id for item in cora.overdue.items] == [i for i in OVERDUE if i != 6]
    assert [item.asset_id for item in cora.due_soon.items] == [10]
    assert [item.asset_id for item in meg.overdue.items] == [6]
    text, blocks = personal_digest(cora)
    check_message(text=text, blocks=blocks)
    body = json.dumps(blocks, ensure_ascii=False)
    assert body.index("Vinyl label — side A") < body.index("CD booklet")
    assert "street date at risk" not in body  # the channel's business


def test_a_templates_file_with_its_own_stage_days_drives_the_digest(
    database_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    """The contract's own example: a vinyl plant of 50 days, a jacket in prepress; the file
    is the one SLEEVE_TEMPLATES names, read at start-up with the templates."""
    shipped = (Path(__file__).parents[2] / "bot" / "data" / "templates.yaml").read_text()
    custom = tmp_path / "templates.yaml"
    custom.write_text(shipped.replace("    vinyl: 56", "    vinyl: 50"), encoding="utf-8")
    workspace = Workspace.start(
        database_url=database_url,
        clock=clock,
        timezone="Europe/London",
        templates_path=str(custom),
    )
    try:
        tapes = add_release(workspace, "SLV-014", "Midnight Tapes", days=41, formats="vinyl")
        done = [
            asset(f"Done {n}", "jacket", "done", release=tapes, format="vinyl") for n in range(6)
        ]
        add_assets(
            workspace,
            *done,
            asset("Vinyl jacket", "jacket", "prepress", release=tapes, format="vinyl", due=-3),
            asset("Vinyl label", "vinyl_label", "manufacturing", release=tapes, format="vinyl"),
        )
        body = ack(workspace.command(CORA, "/digest", "preview"))
    finally:
        workspace.close()
    assert _texts(body["blocks"])[:2] == [
        "*Street dates at risk* (1)",
        "*SLV-014* Midnight Tapes street date at risk: Vinyl jacket (A-7) needs 58 days, 41 left",
    ]


def test_a_release_with_time_to_spare_is_not_at_risk(workspace: Workspace) -> None:
    tapes = add_release(workspace, "SLV-014", "Midnight Tapes", days=64, formats="vinyl")
    add_assets(
        workspace, asset("Vinyl jacket", "jacket", "prepress", release=tapes, format="vinyl")
    )
    shipped = load_stage_days()
    with workspace.runtime.db.read() as session:
        today = build_digest(session, day=TODAY, now=NOW, stage_days=shipped)
        later = build_digest(session, day=TODAY + timedelta(days=1), now=NOW, stage_days=shipped)
    assert today.at_risk.total == 0  # 64 days needed, 64 left
    (item,) = later.at_risk.items
    assert (item.needs, item.left) == (64, 63)


def test_items_carry_their_float_only_where_it_ranks(workspace: Workspace) -> None:
    _catalogue(workspace)
    with workspace.runtime.db.read() as session:
        content = build_digest(session, day=TODAY, now=NOW)
    soon: tuple[DigestItem, ...] = tuple(content.due_soon.items)
    assert [(item.asset_id, item.float_days) for item in soon] == [(10, None)]
