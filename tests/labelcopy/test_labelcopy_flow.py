"""Label copy through Slack's own requests: the form, its refusals, locking, and the copy
check a locked copy adds to a booklet's preflight."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import select

from bot.devtools import artwork
from bot.devtools.workspace import Workspace
from bot.slack import ids
from bot.storage.audit_models import AuditEntry
from bot.storage.proof_models import Proof
from tests.helpers import CORA, MIA, ack, ack_text, release_new

LOU = "U0LOU"  # the label copy department
TRACKS = (
    "1 Night Drive 4:12 GBABC2700001\n"
    "2 Dawn Chorus (Radio Edit) 3:50 GBABC2700002\n"
    '3 "Don\'t Look Back" 5:01 GBABC2700003'
)


def fields(tracks: str = TRACKS, **extra: str) -> dict[str, dict[str, Any]]:
    values = {
        "title": "Midnight Tapes",
        "artist": "The Vels",
        "p_line": "℗ 2027 Northside Records",
        "c_line": "© 2027 Northside Records",
    } | extra
    out = {
        name: {f"{name}_input": {"type": "plain_text_input", "value": v}}
        for name, v in values.items()
    }
    out[ids.LABELCOPY_TRACKS_BLOCK] = {
        ids.LABELCOPY_TRACKS_INPUT: {"type": "plain_text_input", "value": tracks}
    }
    return out


def open_form(ws: Workspace, user: str = LOU) -> dict[str, Any]:
    ack(ws.command(user, "/labelcopy", "edit SLV-014"))
    view = ws.fake.views[-1].view
    assert view["callback_id"] == ids.LABELCOPY_EDIT_VIEW
    return view


def submit(ws: Workspace, view: dict[str, Any], values: dict[str, Any]) -> BoltResponse:
    response = ws.driver.submit(LOU, view, values)
    ws.settle()
    return response


def cd_release(ws: Workspace) -> None:
    ack(
        release_new(
            ws,
            '"Midnight Tapes" artist:"The Vels" date:2027-05-14 format:cd catno:SLV-014 upc:036000241457',
        )
    )


def test_the_form_saves_the_copy_with_its_figures_and_show_lists_it(workspace: Workspace) -> None:
    cd_release(workspace)
    response = submit(workspace, open_form(workspace), fields())
    assert response.status == 200 and not response.body
    (told,) = [e.text for e in workspace.fake.ephemerals(LOU)]
    assert told.startswith("Saved SLV-014's label copy: 3 tracks. CD 13:03 of 79:57.")
    shown = ack_text(workspace.command(MIA, "/labelcopy", "show SLV-014"))
    assert "Dawn Chorus (Radio Edit)" in shown and "GBABC2700003" in shown
    assert "not locked" in shown
    again = open_form(workspace)  # the form opens with the saved copy
    tracks = [b for b in again["blocks"] if b.get("block_id") == ids.LABELCOPY_TRACKS_BLOCK]
    assert (
        tracks[0]["element"]["initial_value"].splitlines()[0] == "1 Night Drive 4:12 GBABC2700001"
    )


def test_bad_lines_and_failing_checks_go_back_to_the_form_and_nothing_is_saved(
    workspace: Workspace,
) -> None:
    cd_release(workspace)
    view = open_form(workspace)
    bad = submit(workspace, view, fields("1 Night Drive 4:75\n2 Dawn Chorus 3:50"))
    errors = json.loads(bad.body)["errors"][ids.LABELCOPY_TRACKS_BLOCK]
    assert errors.startswith("line 1 (") and "4:75 is not a duration" in errors
    twice = "1 Night Drive 4:12 GBABC2700001\n2 Dawn Chorus 3:50 GBABC2700001"
    refused = json.loads(submit(workspace, view, fields(twice)).body)["errors"]
    assert refused[ids.LABELCOPY_TRACKS_BLOCK].startswith("Not saved: ")
    assert "GBABC2700001" in refused[ids.LABELCOPY_TRACKS_BLOCK]
    shown = ack_text(workspace.command(LOU, "/labelcopy", "show SLV-014"))
    assert "has no label copy yet" in shown
    assert "Only the label copy department or a coordinator" in ack_text(
        workspace.command(MIA, "/labelcopy", "edit SLV-014")
    )


def test_lock_freezes_the_copy_says_so_in_the_thread_and_unlock_needs_a_reason(
    workspace: Workspace,
) -> None:
    cd_release(workspace)
    assert "no label copy to lock yet" in ack_text(
        workspace.command(LOU, "/labelcopy", "lock SLV-014")
    )
    submit(workspace, open_form(workspace), fields())
    assert "Only the label copy department can lock" in ack_text(
        workspace.command(CORA, "/labelcopy", "lock SLV-014")
    )
    assert ack(workspace.command(LOU, "/labelcopy", "lock SLV-014"))["text"] == (
        "Locked SLV-014's label copy (3 tracks)."
    )
    notes = [m.text for m in workspace.fake.messages() if m.text.startswith("Label copy of")]
    assert notes == [
        "Label copy of *SLV-014* locked by <@U0LOU>: proofs of the back cover, booklet, tray "
        "card and labels are now checked against it."
    ]
    assert "is locked" in ack_text(workspace.command(CORA, "/labelcopy", "edit SLV-014"))
    assert "`reason:` is required" in ack_text(
        workspace.command(LOU, "/labelcopy", "unlock SLV-014")
    )
    ack(workspace.command(LOU, "/labelcopy", 'unlock SLV-014 reason:"Track 2 retitled"'))
    with workspace.runtime.db.read() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "label_copy")
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["edit", "lock", "unlock"]


def test_a_booklet_of_a_release_with_locked_copy_gets_the_copy_check(
    workspace: Workspace, tmp_path: Path
) -> None:
    cd_release(workspace)
    submit(workspace, open_form(workspace), fields())
    ack(workspace.command(LOU, "/labelcopy", "lock SLV-014"))
    booklet = artwork.label_copy_pdf(
        tmp_path / "booklet.pdf",
        pages=[
            ["The Vels", "Midnight Tapes", "SLV-014", "0 36000 24145 7"],
            ["1 Nite Drive", "2 Dawn Chorus", "3 Don’t Look Back"],
            ["℗ 2027 Northside Records", "© 2027 Northside Records"],
            [""],
        ],
    )
    workspace.share_proof(CORA, 2, "booklet.pdf", booklet.read_bytes())
    with workspace.runtime.db.read() as session:
        proof = session.scalar(select(Proof))
        assert proof is not None
        checks = {c["name"]: c for c in proof.checks or []}
    assert checks["catalog number"]["status"] == "pass"
    assert checks["UPC"]["status"] == "pass"
    assert checks["tracks"]["status"] == "fail"
    assert "likely typo: 'Nite Drive' for 'Night Drive'" in checks["tracks"]["measured"]
    finding = [m for m in workspace.fake.messages() if m.text.startswith("Preflight A-2 v1")]
    assert finding and "Nite Drive" in json.dumps(finding[0].blocks)


def test_the_export_carries_the_label_copy_with_its_tracks(workspace: Workspace) -> None:
    from bot.exports.service import document

    cd_release(workspace)
    submit(workspace, open_form(workspace), fields())
    with workspace.runtime.db.read() as session:
        (copy,) = document(session)["label_copy"]
    assert (copy["artist"], copy["p_line"]) == ("The Vels", "℗ 2027 Northside Records")
    assert [t["title"] for t in copy["tracks"]] == ["Night Drive", "Dawn Chorus", "Don't Look Back"]
    assert copy["tracks"][1]["version"] == "Radio Edit" and copy["tracks"][0]["duration_s"] == 252


def test_the_digest_and_home_flag_art_in_review_while_the_copy_is_unlocked(
    workspace: Workspace,
) -> None:
    cd_release(workspace)
    ack(workspace.command(CORA, "/approval", "request A-2"))  # the booklet, now in review
    preview = ack_text(workspace.command(CORA, "/digest", "preview"))
    assert "In review, label copy not locked" in preview
    assert "*SLV-014* Midnight Tapes: 1 piece of art in review" in preview
    workspace.driver.open_home(LOU)
    workspace.settle()
    home = json.dumps(workspace.fake.home_views[LOU].view)
    assert "/labelcopy lock SLV-014" in home
    submit(workspace, open_form(workspace), fields())
    ack(workspace.command(LOU, "/labelcopy", "lock SLV-014"))
    assert "label copy not locked" not in ack_text(workspace.command(CORA, "/digest", "preview"))


def test_the_command_line_imports_a_tracklist_from_csv_all_rows_or_none(
    workspace: Workspace, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    cd_release(workspace)

    def run(content: str) -> subprocess.CompletedProcess[str]:
        path = tmp_path / "tracks.csv"
        path.write_text(content, encoding="utf-8")
        env = dict(os.environ, DATABASE_URL=workspace.runtime.settings.database_url)
        argv = [sys.executable, "-m", "bot", "import", "labelcopy", "SLV-014", str(path)]
        return subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
        )

    header = "side,position,title,version,duration,isrc,credits\n"
    bad = run(header + ",1,Night Drive,,4:12,GBABC2700001,\n,2,Dawn Chorus,,3:7O,,\n")
    assert bad.returncode == 1 and "nothing imported, 1 bad rows" in bad.stderr
    assert "line 3" in bad.stderr
    assert "has no label copy yet" in ack_text(workspace.command(LOU, "/labelcopy", "show SLV-014"))
    good = run(header + ",1,Night Drive,,4:12,GBABC2700001,\n,2,Dawn Chorus,Radio Edit,3:50,,\n")
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith(
        f"{tmp_path / 'tracks.csv'}: 2 tracks saved to SLV-014's label copy."
    )
    assert "Dawn Chorus (Radio Edit)" in ack_text(
        workspace.command(LOU, "/labelcopy", "show SLV-014")
    )
