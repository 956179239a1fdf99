"""Proofs through Slack's own requests: a file shared in an asset's thread, the shortcut, a
new version superseding a round, delivery on approval, and uploads Slack refuses."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.domain.approvals import Status
from bot.slack import ids, outbox
from bot.slack.delivery import drain
from bot.storage.approval_models import ApprovalRequest
from bot.storage.proof_models import Proof
from tests.helpers import CORA, FAY, SAM, ack, ack_text, release_new
from tests.interactions.approval_support import click, round_messages

CD_COVER_PX = 1488  # 120 mm + 2 × 3 mm bleed at 300 ppi


def tiff(size: int = CD_COVER_PX, mode: str = "CMYK", dpi: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (size, size), (0, 40, 80, 0) if mode == "CMYK" else (200, 40, 80)).save(
        out, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw"
    )
    return out.getvalue()


def cd_release(ws: Workspace) -> None:
    ack(release_new(ws, '"Tapes" artist:"The Vels" date:2027-05-14 format:cd catno:SLV-014'))


def proofs(ws: Workspace) -> list[Proof]:
    with ws.runtime.db.read() as session:
        return list(session.scalars(select(Proof).order_by(Proof.asset_id, Proof.version)))


def thread_of(ws: Workspace) -> tuple[str, str]:
    release_card = next(m for m in ws.fake.messages() if m.text.startswith("SLV-014"))
    return release_card.channel, release_card.ts


def findings(ws: Workspace) -> list[str]:
    channel, ts = thread_of(ws)
    return [m.text for m in ws.fake.thread(channel, ts) if m.text.startswith("Preflight")]


def test_a_file_shared_in_the_release_thread_naming_the_asset_becomes_v1_and_is_preflighted(
    workspace: Workspace,
) -> None:
    cd_release(workspace)
    _, response = workspace.share_proof(CORA, 1, "cover.tif", tiff())
    assert response.status == 200
    (proof,) = proofs(workspace)
    assert (proof.asset_id, proof.version, proof.name, proof.shared_by) == (1, 1, "cover.tif", CORA)
    assert proof.sha256 and len(proof.sha256) == 64
    assert proof.preflight == "pass", proof.checks
    assert findings(workspace) == ["Preflight A-1 v1: no problems"]
    channel, ts = thread_of(workspace)
    previews = [f for f in workspace.fake.files_in(channel, ts) if f.message.user != CORA]
    assert len(previews) == 1
    preview = Image.open(io.BytesIO(workspace.fake.uploaded(previews[0].file["id"])))
    assert preview.format == "JPEG" and max(preview.size) <= 1200
    told = [e.text for e in workspace.fake.ephemerals(CORA)]
    assert any("Recorded cover.tif as A-1" in text for text in told), told


def test_rgb_art_for_print_fails_preflight_with_what_was_measured(workspace: Workspace) -> None:
    cd_release(workspace)
    workspace.share_proof(CORA, 1, "cover-rgb.tif", tiff(mode="RGB"))
    (proof,) = proofs(workspace)
    assert proof.preflight == "fail"
    colour = [c for c in proof.checks or [] if c["status"] == "fail"]
    assert colour and "RGB" in json.dumps(colour)
    (said,) = findings(workspace)
    assert said.startswith("Preflight A-1 v1: 1 problem")


def test_files_that_are_not_proofs_are_left_alone(workspace: Workspace) -> None:
    cd_release(workspace)
    # In the release's thread without naming an asset; and by someone who may not add one.
    workspace.share_proof(CORA, 1, "moodboard.png", tiff(64, "RGB"), text="some ideas")
    workspace.share_proof(SAM, 1, "mine.tif", tiff(64))
    assert proofs(workspace) == []
    refused = [e.text for e in workspace.fake.ephemerals(SAM)]
    assert any("Only A-1's owner" in text for text in refused), refused


def test_the_assigned_freelancer_adds_a_proof_and_a_new_version_supersedes_the_round(
    workspace: Workspace,
) -> None:
    cd_release(workspace)
    ack(workspace.command(CORA, "/asset", "assign A-1 F-1"))
    workspace.share_proof(FAY, 1, "cover-v1.tif", tiff())
    text = ack_text(workspace.command(CORA, "/approval", "request A-1"))
    assert "It is for proof v1." in text
    workspace.share_proof(FAY, 1, "cover-v2.tif", tiff())
    with workspace.runtime.db.read() as session:
        rounds = list(session.scalars(select(ApprovalRequest).order_by(ApprovalRequest.round)))
        shape = [(r.round, r.status, r.proof.version if r.proof else None) for r in rounds]
        asked = [[s.department_key for s in r.steps] for r in rounds]
    assert shape == [(1, Status.SUPERSEDED, 1), (2, Status.PENDING, 2)]
    assert asked[0] == asked[1]
    channel, ts = thread_of(workspace)
    notes = [m.text for m in workspace.fake.thread(channel, ts) if m.text.startswith("New proof")]
    assert notes == [
        "New proof v2 for A-1: round 1 no longer counts; round 2 asks the same departments "
        "about v2."
    ]
    show = ack_text(workspace.command(CORA, "/asset", "show A-1"))
    assert "v2 cover-v2.tif" in show and "v1 cover-v1.tif" in show


def test_approval_hands_the_approved_version_to_the_departments_channels(
    workspace: Workspace,
) -> None:
    workspace.fake.add_channel("C0MARKETING", "marketing")
    workspace.fake.add_channel("C0MANUFACTURING", "manufacturing")
    ack(workspace.command(CORA, "/dept", "set marketing channel:<#C0MARKETING|marketing>"))
    ack(workspace.command(CORA, "/dept", "set manufacturing channel:<#C0MANUFACTURING|m>"))
    cd_release(workspace)
    workspace.share_proof(CORA, 1, "cover.tif", tiff())
    ack(workspace.command(CORA, "/approval", "request A-1 depts:marketing"))
    (message,) = round_messages(workspace)
    click(workspace, "U0MIA", message, "marketing")
    for channel in ("C0MARKETING", "C0MANUFACTURING"):
        (posted,) = workspace.fake.messages(channel)
        assert posted.text.startswith("Approved art for ")
        assert "v1 cover.tif" in json.dumps(posted.blocks)
        (proof,) = proofs(workspace)
        assert proof.permalink and proof.permalink in json.dumps(posted.blocks)
    text = ack_text(workspace.command(CORA, "/asset", "deliver A-1 to:marketing"))
    assert text.startswith("Sent A-1 v1 to <#C0MARKETING>")
    assert len(workspace.fake.messages("C0MARKETING")) == 2


def test_deliver_refuses_without_an_approved_proof_and_dept_deliver_sets_who(
    workspace: Workspace,
) -> None:
    cd_release(workspace)
    text = ack_text(workspace.command(CORA, "/asset", "deliver A-1"))
    assert "has no approved proof yet" in text
    said = ack(workspace.command(CORA, "/dept", "deliver cover marketing"))["text"]
    assert said == "Approved cover art goes to: marketing."
    listed = ack_text(workspace.command(CORA, "/dept", "deliver"))
    assert "*cover* → marketing" in listed
    refused = ack_text(workspace.command(SAM, "/dept", "deliver cover legal"))
    assert "Only coordinators" in refused


def test_the_shortcut_asks_which_asset_and_records_the_file(workspace: Workspace) -> None:
    cd_release(workspace)
    file = workspace.fake.add_file(CORA, "booklet.tif", tiff(64))
    message, _ = workspace.fake.share_file(workspace.channel, CORA, file, text="for the booklet")
    payload_message = {"type": "message", "ts": message.ts, "text": message.text, "user": CORA}
    payload_message["files"] = [file]
    ack(
        workspace.driver.message_shortcut(
            CORA, ids.PROOF_ATTACH, payload_message, workspace.channel
        )
    )
    workspace.settle()
    view = workspace.fake.views[-1]
    assert view.view["callback_id"] == ids.PROOF_ATTACH_VIEW
    suggested = view.view["blocks"][1]["element"].get("initial_value")
    assert suggested is None  # a top-level message naming no asset
    bad = workspace.driver.submit(
        CORA,
        view.view,
        {
            ids.PROOF_ASSET_BLOCK: {
                ids.PROOF_ASSET_INPUT: {"type": "plain_text_input", "value": "A-99"}
            }
        },
    )
    assert json.loads(bad.body)["errors"] == {ids.PROOF_ASSET_BLOCK: "There is no asset A-99."}
    good = workspace.driver.submit(
        CORA,
        view.view,
        {
            ids.PROOF_ASSET_BLOCK: {
                ids.PROOF_ASSET_INPUT: {"type": "plain_text_input", "value": "A-2"}
            }
        },
    )
    assert good.status == 200 and not good.body
    workspace.settle(60)
    (proof,) = proofs(workspace)
    assert (proof.asset_id, proof.version, proof.name) == (2, 1, "booklet.tif")
    assert findings(workspace)[0].startswith("Preflight A-2 v1")


def test_a_refused_upload_is_retried_and_the_preview_is_shared_once(
    workspace: Workspace, clock: FixedClock
) -> None:
    cd_release(workspace)
    workspace.fake.fail_next("files.upload", status=500)
    workspace.fake.fail_next("files.completeUploadExternal", status=429, retry_after=0)
    workspace.share_proof(CORA, 1, "cover.tif", tiff())
    assert [c.status for c in workspace.fake.calls("files.upload")][:1] == [500]
    completes = [c.status for c in workspace.fake.calls("files.completeUploadExternal")]
    assert 429 in completes or not completes  # refused, or never reached after the 500
    channel, ts = thread_of(workspace)
    clock.advance(outbox.GRACE + timedelta(minutes=1))
    drain(workspace.runtime, workspace.app.client)
    previews = [f for f in workspace.fake.files_in(channel, ts) if f.message.user != CORA]
    assert len(previews) == 1
    assert findings(workspace) == ["Preflight A-1 v1: no problems"]
    clock.advance(timedelta(minutes=20))
    drain(workspace.runtime, workspace.app.client)
    previews = [f for f in workspace.fake.files_in(channel, ts) if f.message.user != CORA]
    assert len(previews) == 1 and len(findings(workspace)) == 1


def test_the_export_lists_proofs_with_their_checks_and_no_private_address(
    workspace: Workspace,
) -> None:
    from bot.exports.service import document

    cd_release(workspace)
    workspace.share_proof(CORA, 1, "cover.tif", tiff(mode="RGB"))
    with workspace.runtime.db.read() as session:
        (row,) = document(session)["proofs"]
    assert (row["asset_id"], row["version"], row["name"], row["shared_by"]) == (
        1,
        1,
        "cover.tif",
        CORA,
    )
    assert row["preflight"] == "fail" and len(row["sha256"]) == 64 and row["size"] > 0
    assert any(check["name"] == "colour" for check in row["checks"])
    assert "download_url" not in row


def test_the_shortcut_suggests_the_asset_whose_thread_the_message_is_in(
    workspace: Workspace,
) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+20d'))
    card = next(m for m in workspace.fake.messages() if m.text.startswith("A-1 Poster"))
    file = workspace.fake.add_file(SAM, "idea.png", tiff(32, "RGB"))
    message, _ = workspace.fake.share_file(
        card.channel, SAM, file, text="what about this?", thread_ts=card.ts
    )
    shared = {"type": "message", "ts": message.ts, "thread_ts": card.ts, "text": message.text}
    shared |= {"user": SAM, "files": [file]}
    ack(workspace.driver.message_shortcut(CORA, ids.PROOF_ATTACH, shared, card.channel))
    workspace.settle()
    view = workspace.fake.views[-1].view
    assert view["blocks"][1]["element"]["initial_value"] == "A-1"


def test_any_file_in_an_assets_own_card_thread_is_a_proof_and_a_retry_records_it_once(
    workspace: Workspace,
) -> None:
    ack(workspace.command(CORA, "/asset", 'new "Poster" kind:poster due:+20d'))
    event, _ = workspace.share_proof(CORA, 1, "poster.tif", tiff(64), text="new version")
    workspace.driver.event(event, event_id="Ev0SAME", retry_num=1)
    workspace.settle()
    (proof,) = proofs(workspace)
    assert (proof.asset_id, proof.version) == (1, 1)
    assert len([c for c in workspace.fake.calls("files.download") if c.status == 200]) == 1
