"""Mail through the outbox to a real SMTP server on loopback, driven by signed requests:
what each kind says, retried on 4xx, noted in the thread on 5xx, never sent twice (a lost
final reply, two replicas draining at once), and never sent to whom it shouldn't go."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace
from bot.slack.client import client_for
from bot.slack.delivery import drain
from tests.helpers import CORA, MIA, ack, ack_text
from tests.interactions.approval_support import click, round_messages
from tests.mail.conftest import Running

SENDER = "Northside Records via Sleeve <sleeve@northside.example>"


@pytest.fixture
def mailing(
    database_url: str, clock: FixedClock, smtp_server: Callable[..., Running]
) -> Iterator[tuple[Workspace, Running]]:
    server = smtp_server()
    ws = Workspace.start(
        database_url=database_url,
        clock=clock,
        timezone="Europe/London",
        smtp_url=f"smtp://127.0.0.1:{server.port}",
        mail_from=SENDER,
    )
    try:
        yield ws, server
    finally:
        ws.close()


def parsed(server: Running) -> list[EmailMessage]:
    return [
        message_from_bytes(r.content, policy=policy.default)  # type: ignore[misc]
        for r in server.recorder.received
    ]


def assign_jane(ws: Workspace, name: str = "Jane Roe") -> None:
    ack(
        ws.command(
            CORA, "/release", 'new "Tapes" artist:"Vels" date:2027-05-14 format:cd catno:SLV-014'
        )
    )
    ack(ws.command(CORA, "/freelancer", f'add "{name}" email:jane@example.com'))
    ack(ws.command(CORA, "/asset", "assign A-1 F-2"))
    ws.settle()


def test_an_assignment_is_mailed_with_both_parts_and_a_stable_message_id(
    mailing: tuple[Workspace, Running],
) -> None:
    ws, server = mailing
    assign_jane(ws)
    (mail,) = parsed(server)
    assert mail["Subject"] == "[SLV-014] A-1 Front cover — assigned to you"
    assert mail["To"].addresses[0].addr_spec == "jane@example.com"
    assert mail["From"].addresses[0].addr_spec == "sleeve@northside.example"
    assert mail["Message-ID"].endswith("@northside.example>")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "A-1 Front cover" in text and "Midnight" not in text and "Tapes" in html
    shown = ack_text(ws.command(CORA, "/asset", "show A-1"))
    assert "mailed the assignment to the freelancer" in shown


def test_changes_requested_are_mailed_with_the_reason(
    mailing: tuple[Workspace, Running],
) -> None:
    ws, server = mailing
    assign_jane(ws)
    ack(ws.command(CORA, "/approval", "request A-1 depts:marketing"))
    ws.settle()
    (message,) = round_messages(ws)
    from bot.slack import ids

    click(ws, MIA, message, "marketing", ids.REQUEST_CHANGES)
    form = ws.fake.views[-1].view
    reason = {
        ids.REQUEST_CHANGES_REASON_BLOCK: {
            ids.REQUEST_CHANGES_REASON_INPUT: {
                "type": "plain_text_input",
                "value": "Logo <b>bigger</b>",
            }
        }
    }
    ack(ws.driver.submit(MIA, form, reason))
    ws.settle()
    mail = parsed(server)[-1]
    assert mail["Subject"].endswith("— changes requested")
    assert "> Logo <b>bigger</b>" in mail.get_body(("plain",)).get_content()
    assert "Logo &lt;b&gt;bigger&lt;/b&gt;" in mail.get_body(("html",)).get_content()


def test_a_temporary_refusal_is_tried_again_and_sends_one_mail(
    mailing: tuple[Workspace, Running], clock: FixedClock
) -> None:
    ws, server = mailing
    server.recorder.rcpt_reply = "451 4.3.0 try again later"
    assign_jane(ws)
    assert parsed(server) == []
    server.recorder.rcpt_reply = None
    clock.advance(timedelta(minutes=1))  # the first retry is due within a minute
    drain(ws.runtime, client_for(ws.runtime.settings))
    assert len(parsed(server)) == 1
    clock.advance(timedelta(minutes=30))
    drain(ws.runtime, client_for(ws.runtime.settings))
    assert len(parsed(server)) == 1


def test_a_permanent_refusal_is_noted_in_the_thread(mailing: tuple[Workspace, Running]) -> None:
    ws, server = mailing
    server.recorder.rcpt_reply = "550 5.1.1 no such user"
    assign_jane(ws)
    notes = [m.text for m in ws.fake.messages() if m.text.startswith("Couldn't mail Jane Roe")]
    assert len(notes) == 1 and "550" in notes[0], notes
    assert "couldn't mail the assignment" in ack_text(ws.command(CORA, "/asset", "show A-1"))


def test_a_connection_dropped_after_the_data_sends_one_mail_never_two(
    mailing: tuple[Workspace, Running], clock: FixedClock
) -> None:
    ws, server = mailing
    server.recorder.after_data = "drop"
    assign_jane(ws)
    server.recorder.after_data = None
    for _ in range(3):
        clock.advance(timedelta(hours=1))
        drain(ws.runtime, client_for(ws.runtime.settings))
    assert len(server.recorder.received) == 1


def test_two_replicas_draining_at_once_send_each_mail_once(
    mailing: tuple[Workspace, Running], clock: FixedClock
) -> None:
    ws, server = mailing
    server.recorder.rcpt_reply = "451 4.3.0 busy"
    assign_jane(ws)
    ack(ws.command(CORA, "/asset", "due A-1 +30d"))
    ws.settle()
    server.recorder.rcpt_reply = None
    clock.advance(timedelta(minutes=5))
    client = client_for(ws.runtime.settings)
    sweeps = [threading.Thread(target=drain, args=(ws.runtime, client)) for _ in range(2)]
    for sweep in sweeps:
        sweep.start()
    for sweep in sweeps:
        sweep.join()
    subjects = sorted(str(m["Subject"]) for m in parsed(server))
    assert subjects == [
        "[SLV-014] A-1 Front cover — assigned to you",
        "[SLV-014] A-1 Front cover — due date moved",
    ]


def test_no_mail_for_a_slack_user_or_an_opt_out_and_a_note_without_a_server(
    mailing: tuple[Workspace, Running], database_url: str, clock: FixedClock
) -> None:
    ws, server = mailing
    assign_jane(ws)
    ack(ws.command(CORA, "/freelancer", "edit F-2 email_notices:off"))
    ack(ws.command(CORA, "/asset", "due A-1 +30d"))
    ack(ws.command(CORA, "/asset", "assign A-2 F-1"))  # Fay has a Slack user
    ws.settle()
    assert len(parsed(server)) == 1  # the assignment only, before the opt-out


def test_without_a_mail_server_the_thread_says_nobody_was_notified(
    database_url: str, clock: FixedClock
) -> None:
    ws = Workspace.start(database_url=database_url, clock=clock, fake_mail=False)
    try:
        assign_jane(ws)
        notes = [m.text for m in ws.fake.messages() if "were not notified" in m.text]
        assert notes == [
            "F-2 Jane Roe has no Slack account and no mail server is set, so they were not "
            "notified."
        ]
    finally:
        ws.close()


def test_a_hostile_name_cannot_add_a_header(mailing: tuple[Workspace, Running]) -> None:
    ws, server = mailing
    assign_jane(ws, name="Jane Bcc: x@evil.test")
    (received,) = server.recorder.received
    assert received.rcpt_tos == ["jane@example.com"]
    mail = parsed(server)[0]
    assert mail["Bcc"] is None and "evil" not in str(mail["To"].addresses[0].addr_spec)


def test_an_issued_order_is_mailed_to_the_vendor_with_its_pdf(
    mailing: tuple[Workspace, Running],
) -> None:
    ws, server = mailing
    ack(
        ws.command(
            CORA, "/vendor", 'add "Optimal Media" kind:plant currency:EUR email:po@om.example'
        )
    )
    ack(ws.command(CORA, "/order", 'new V-1 item:"LP pressing" qty:500 price:2.15'))
    said = ack_text(ws.command(CORA, "/order", "issue PO-2026-0001"))
    assert "mailed to po@om.example" in said
    ws.settle()
    (mail,) = parsed(server)
    assert mail["Subject"] == "[PO-2026-0001] Purchase order from Northside Records"
    (pdf,) = list(mail.iter_attachments())
    assert pdf.get_filename() == "PO-2026-0001.pdf"
    (dm,) = [m for m in ws.fake.messages() if m.files]
    assert pdf.get_content() == ws.fake.uploaded(dm.files[0]["id"])
    said = ack_text(ws.command(CORA, "/order", 'cancel PO-2026-0001 reason:"plant closed"'))
    ws.settle()
    assert "told by mail" in said
    assert (
        parsed(server)[-1]["Subject"]
        == "[PO-2026-0001] Purchase order from Northside Records — cancelled"
    )
