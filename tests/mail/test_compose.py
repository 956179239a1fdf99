"""Every mail kind composes into text and HTML with the right headers; attachments survive
byte for byte; no caller-supplied text can add a header."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from bot.mail.compose import (
    KINDS,
    MailSpec,
    compose,
    message_id_for,
    order_subject_for,
    subject_for,
    template_environment,
)

SENDER = "Sleeve <sleeve@label.example>"
SENT_AT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n.\r\n.\nxref\n%%EOF\n" + bytes(range(256))

ASSET = {
    "freelancer_name": "Jane Doe",
    "asset_id": "A-3",
    "asset_title": "Front cover",
    "catalog_number": "SLV-014",
    "release_title": "Night & Day",
    "coordinator_name": "Sam Coordinator",
}
ORDER = {"vendor_name": "Pressing Co", "po_number": "PO-2027-0001", "label_name": "Night Records"}
CONTEXTS: dict[str, dict[str, Any]] = {
    "assignment": {
        **ASSET,
        "due_date": date(2026, 12, 4),
        "brief": "Use the band photo.\nNo gradients.",
        "links": [{"label": "Moodboard", "url": "https://drive.example/x?a=1&b=2"}],
    },
    "changes_requested": {**ASSET, "reason": "The logo is too small."},
    "approved": {**ASSET, "notes": "Lovely work."},
    "due_moved": {**ASSET, "due_date": date(2026, 12, 11), "previous_due_date": date(2026, 12, 4)},
    "cancelled": {**ASSET, "reason": "The release was pulled."},
    "po_issued": {**ORDER, "lines": ["500 × LP black 140g: GBP 2,000.00"], "total": "GBP 2,000.00"},
    "po_cancelled": {**ORDER, "reason": "Ordered twice."},
}
# What each kind must say in both parts.
SAYS = {
    "assignment": ["Friday 4 December 2026", "No gradients.", "https://drive.example/x?a=1"],
    "changes_requested": ["The logo is too small."],
    "approved": ["approved", "Lovely work."],
    "due_moved": ["Friday 11 December 2026", "Friday 4 December 2026"],
    "cancelled": ["The release was pulled."],
    "po_issued": ["PO-2027-0001", "GBP 2,000.00", "PO-2027-0001.pdf"],
    "po_cancelled": ["PO-2027-0001", "Ordered twice."],
}


def _subject(kind: str) -> str:
    if kind.startswith("po_"):
        return order_subject_for(kind, "PO-2027-0001", "Night Records")
    return subject_for(kind, "SLV-014", "A-3", "Front cover")


def _mail(kind: str, **changes: Any) -> EmailMessage:
    attachments = (("PO-2027-0001.pdf", "application/pdf", PDF),) if kind == "po_issued" else ()
    fields: dict[str, Any] = {
        "to_address": "jane@example.com",
        "to_name": "Jane Doe",
        "subject": _subject(kind),
        "text_template": kind,
        "context": CONTEXTS[kind],
        "attachments": attachments,
        **changes,
    }
    return compose(
        MailSpec(**fields),
        sender=SENDER,
        message_id=message_id_for("outbox-7:0", "label.example"),
        templates=template_environment(),
        sent_at=SENT_AT,
    )


def _parse(message: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _bodies(parsed: EmailMessage) -> tuple[str, str]:
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_every_kind_has_templates_and_a_test() -> None:
    assert set(KINDS) == set(CONTEXTS) == set(SAYS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_composes_with_both_parts_and_the_headers(kind: str) -> None:
    parsed = _parse(_mail(kind))

    assert parsed["From"] == SENDER
    assert parsed["To"] == "Jane Doe <jane@example.com>"
    assert parsed["Subject"] == _subject(kind)
    assert parsed["Message-ID"] == message_id_for("outbox-7:0", "label.example")
    assert parsed["Date"].datetime == SENT_AT
    assert parsed["Auto-Submitted"] == "auto-generated"
    expected = "multipart/mixed" if kind == "po_issued" else "multipart/alternative"
    assert parsed.get_content_type() == expected
    text, html = _bodies(parsed)
    for phrase in SAYS[kind]:
        assert phrase in text, (kind, phrase)
        assert phrase in html.replace("&amp;", "&"), (kind, phrase)
    assert "<p>" not in text
    assert html.lstrip().startswith("<!DOCTYPE html>")


def test_the_wire_form_is_seven_bit_with_crlf_line_ends() -> None:
    raw = _mail(
        "po_issued", to_name="Zoë Ünal", context={**CONTEXTS["po_issued"], "vendor_name": "Zoë"}
    ).as_bytes()
    assert raw.isascii()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    text, _ = _bodies(_parse(_mail("approved", context={**ASSET, "freelancer_name": "Zoë"})))
    assert "Hello Zoë," in text


def test_subjects() -> None:
    assert subject_for("changes_requested", "SLV-014", "A-3", "Front cover") == (
        "[SLV-014] A-3 Front cover — changes requested"
    )
    assert order_subject_for("po_issued", "PO-2027-0001", "Night Records") == (
        "[PO-2027-0001] Purchase order from Night Records"
    )
    assert order_subject_for("po_cancelled", "PO-2027-0001", "") == (
        "[PO-2027-0001] Purchase order — cancelled"
    )
    assert subject_for("approved", "SLV-014", "A-3", "Front\r\nBcc: x@evil.test") == (
        "[SLV-014] A-3 Front Bcc: x@evil.test — approved"
    )
    with pytest.raises(ValueError):
        subject_for("nope", "SLV-014", "A-3", "Front cover")
    with pytest.raises(ValueError):
        subject_for("po_issued", "SLV-014", "A-3", "Front cover")
    with pytest.raises(ValueError):
        order_subject_for("approved", "PO-2027-0001", "Night Records")


def test_the_pdf_comes_back_byte_identical() -> None:
    parsed = _parse(_mail("po_issued"))
    attachments = list(parsed.iter_attachments())
    assert len(attachments) == 1
    (pdf,) = attachments
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "PO-2027-0001.pdf"
    assert pdf.get_content() == PDF


def test_a_name_cannot_inject_a_header() -> None:
    parsed = _parse(
        _mail(
            "assignment",
            to_name="Jane\r\nBcc: x@evil.test",
            subject="Hi\r\nBcc: y@evil.test\nX-Evil: 1",
            context={**CONTEXTS["assignment"], "freelancer_name": "Jane\r\nBcc: z@evil.test"},
        )
    )
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert parsed.get_all("Bcc") is None
    (to,) = parsed.get_all("To")
    assert [a.addr_spec for a in to.addresses] == ["jane@example.com"]
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]
    assert "evil.test" not in str(parsed["To"]).split("<")[1]


@pytest.mark.parametrize(
    "address",
    [
        "jane@example.com\r\nBcc: x@evil.test",
        "jane@example.com, x@evil.test",
        "Jane <jane@example.com>",
        "jane",
    ],
)
def test_a_malformed_recipient_is_refused(address: str) -> None:
    with pytest.raises(ValueError):
        _mail("approved", to_address=address)


def test_a_malformed_sender_reply_to_or_message_id_is_refused() -> None:
    spec = MailSpec("jane@example.com", "Jane", "s", "approved", ASSET)
    env = template_environment()
    with pytest.raises(ValueError):
        compose(
            spec,
            sender="Sleeve <s@label.example>\r\nBcc: x@evil.test",
            message_id="<a@b>",
            templates=env,
        )
    with pytest.raises(ValueError):
        compose(spec, sender=SENDER, message_id="<a@b>\r\nBcc: x@evil.test", templates=env)
    bad_reply = MailSpec(
        "jane@example.com", "Jane", "s", "approved", ASSET, reply_to="x\r\nBcc: y@evil.test"
    )
    with pytest.raises(ValueError):
        compose(bad_reply, sender=SENDER, message_id="<a@b>", templates=env)


def test_reply_to_reaches_the_coordinator() -> None:
    parsed = _parse(_mail("approved", reply_to="Sam Coordinator <sam@label.example>"))
    assert parsed["Reply-To"] == "Sam Coordinator <sam@label.example>"


def test_html_is_escaped_and_text_is_not() -> None:
    context = {
        **CONTEXTS["assignment"],
        "asset_title": "<script>alert(1)</script>",
        "links": [{"label": "x", "url": "javascript:alert(1)"}],
    }
    text, html = _bodies(_parse(_mail("assignment", context=context)))
    assert "<script>" in text
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_missing_and_unknown_context_is_an_error() -> None:
    context = dict(CONTEXTS["changes_requested"])
    del context["reason"]
    with pytest.raises(ValueError, match="reason"):
        _mail("changes_requested", context=context)
    with pytest.raises(ValueError, match="reson"):
        _mail("changes_requested", context={**CONTEXTS["changes_requested"], "reson": "x"})
    with pytest.raises(ValueError, match="unknown mail kind"):
        _mail("approved", text_template="nope")


def test_optional_values_may_be_left_out() -> None:
    parsed = _parse(_mail("assignment", context={**ASSET, "due_date": "next Friday"}))
    text, _ = _bodies(parsed)
    assert "Due: next Friday" in text
    assert "Brief" not in text and "Links" not in text


def test_attachment_names_and_types_are_checked() -> None:
    spec = MailSpec(
        "v@example.com",
        "V",
        "s",
        "po_issued",
        ORDER,
        attachments=(("../../etc/PO\r\n-1.pdf", "application/pdf", b"x"),),
    )
    parsed = _parse(
        compose(spec, sender=SENDER, message_id="<a@b>", templates=template_environment())
    )
    (part,) = parsed.iter_attachments()
    assert part.get_filename() == "PO -1.pdf"
    bad = MailSpec(
        "v@example.com", "V", "s", "po_issued", ORDER, attachments=(("a.pdf", "pdf\r\nX: 1", b"x"),)
    )
    with pytest.raises(ValueError):
        compose(bad, sender=SENDER, message_id="<a@b>", templates=template_environment())


def test_message_ids_are_stable_per_outbox_item() -> None:
    first = message_id_for("outbox-7:0", "label.example")
    assert first == message_id_for("outbox-7:0", "label.example")
    assert first != message_id_for("outbox-7:1", "label.example")
    assert first.startswith("<") and first.endswith("@label.example>")
    with pytest.raises(ValueError):
        message_id_for("outbox-7:0", "label.example>\r\nBcc: x@evil.test")
