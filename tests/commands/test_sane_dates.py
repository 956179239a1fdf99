"""Dates are sane: street dates ahead, late assets named, odd due dates pointed out, one UPC a
release."""

from __future__ import annotations

from bot.devtools.workspace import Workspace
from tests.helpers import CORA, ack, ack_text, counts, release_new


def test_a_street_date_in_the_past_is_refused(workspace: Workspace) -> None:
    before = counts(workspace)
    reply = ack_text(release_new(workspace, '"Old" artist:X date:2020-03-20 format:cd catno:OLD-1'))
    assert "A street date can't be in the past (got Fri 20 Mar 2020)" in reply
    assert counts(workspace) == before
    ack(release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:cd catno:SLV-014'))
    moved = ack_text(workspace.command(CORA, "/release", "move SLV-014 date:2021-01-01"))
    assert "can't be in the past" in moved


def test_moving_a_release_into_its_lead_time_names_the_assets_made_late(
    workspace: Workspace,
) -> None:
    ack(release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:digital catno:SLV-014'))
    reply = ack_text(workspace.command(CORA, "/release", "move SLV-014 date:+7d"))
    assert ":warning: That is inside the art lead time:" in reply and "now late" in reply
    assert "*A-1* Front cover" in reply
    calm = ack_text(workspace.command(CORA, "/release", "move SLV-014 date:2027-09-01"))
    assert "lead time" not in calm


def test_odd_due_dates_are_pointed_out(workspace: Workspace) -> None:
    ack(release_new(workspace, '"Tapes" artist:X date:2027-05-14 format:digital catno:SLV-014'))
    past = ack_text(workspace.command(CORA, "/asset", 'new "Old flyer" kind:poster due:2019-01-01'))
    assert "Its due date, Tue 1 Jan 2019, has already passed." in past
    after = ack_text(
        workspace.command(CORA, "/asset", 'new "GIF" kind:social due:2027-06-01 release:SLV-014')
    )
    assert "It is due after SLV-014's street date, Fri 14 May 2027." in after
    due = ack_text(workspace.command(CORA, "/asset", "due A-1 2027-02-01"))
    assert due.startswith("A-1: due is now Mon 1 Feb 2027.")  # read as a date, not ISO


def test_a_upc_belongs_to_one_release(workspace: Workspace) -> None:
    ack(
        release_new(
            workspace, '"A" artist:X date:2027-05-14 format:cd catno:SLV-1 upc:036000241457'
        )
    )
    reply = ack_text(
        release_new(
            workspace, '"B" artist:X date:2027-05-14 format:cd catno:SLV-2 upc:036000241457'
        )
    )
    assert "UPC 036000241457 is already SLV-1's" in reply
