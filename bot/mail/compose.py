"""The mails Sleeve sends: a plain-text and an HTML part from one pair of templates, plus
attachments, with headers no caller-supplied text can break out of.

Names and subjects come from people (a freelancer's name, an asset's title), so control
characters are turned into spaces before they reach a header, and addresses are checked
strictly and refused when malformed: ``"Jane\\r\\nBcc: x@evil.test"`` stays one display name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.mail.config import parse_address, sender_address

TEMPLATES_DIR = Path(__file__).parent / "templates"
# CRLF line ends (SMTP's), and bodies chosen 7-bit clean (quoted-printable or base64 for
# anything else) so a server without 8BITMIME takes them unchanged.
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class _Kind:
    subject: str  # what happened, after the "[SLV-014] A-3 Front cover — " prefix
    required: frozenset[str]
    optional: frozenset[str] = frozenset()


_FREELANCER = frozenset(
    {"freelancer_name", "asset_id", "asset_title", "catalog_number", "release_title"}
    | {"coordinator_name"}
)
_VENDOR = frozenset({"vendor_name", "po_number", "label_name"})

KINDS: dict[str, _Kind] = {
    "assignment": _Kind(
        "assigned to you", _FREELANCER | {"due_date"}, frozenset({"brief", "links"})
    ),
    "changes_requested": _Kind(
        "changes requested", _FREELANCER | {"reason"}, frozenset({"due_date", "links"})
    ),
    "approved": _Kind("approved", _FREELANCER, frozenset({"notes", "links"})),
    "due_moved": _Kind(
        "due date moved", _FREELANCER | {"due_date"}, frozenset({"previous_due_date", "reason"})
    ),
    "cancelled": _Kind("cancelled", _FREELANCER, frozenset({"reason"})),
    "po_issued": _Kind("", _VENDOR, frozenset({"lines", "total", "notes"})),
    "po_cancelled": _Kind("cancelled", _VENDOR, frozenset({"reason"})),
}
ORDER_KINDS = frozenset({"po_issued", "po_cancelled"})
_MIMETYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
_MESSAGE_ID = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>")


@dataclass(frozen=True)
class MailSpec:
    """One mail to one person.

    ``text_template`` names the template pair (``<name>.txt`` and ``<name>.html`` in
    ``bot/mail/templates``), one of ``KINDS``; ``context`` holds that kind's values.
    Attachments are ``(filename, mimetype, data)``. ``reply_to`` sends replies to a person
    (the coordinator) rather than to Sleeve's own mailbox.
    """

    to_address: str
    to_name: str
    subject: str
    text_template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    attachments: tuple[tuple[str, str, bytes], ...] = ()
    reply_to: str | None = None


def subject_for(kind: str, catno: str, asset_label: str, title: str) -> str:
    """``[SLV-014] A-3 Front cover — changes requested``."""
    if kind in ORDER_KINDS:
        raise ValueError(f"{kind} is about an order: use order_subject_for")
    what = _kind(kind).subject
    return header_text(f"[{catno}] {asset_label} {title} — {what}")


def order_subject_for(kind: str, po_number: str, label_name: str) -> str:
    """``[PO-2027-0001] Purchase order from Label``, and ``… — cancelled`` when withdrawn."""
    if kind not in ORDER_KINDS:
        raise ValueError(f"{kind} is not about an order: use subject_for")
    what = _kind(kind).subject
    label = label_name.strip()
    subject = (
        f"[{po_number}] Purchase order from {label}" if label else f"[{po_number}] Purchase order"
    )
    return header_text(f"{subject} — {what}" if what else subject)


def message_id_for(entry_key: str, domain: str) -> str:
    """A ``Message-ID`` that is the same for the same outbox item (``"<entry id>:<index>"``),
    so a retry re-sends the very same mail. Some mailboxes drop a second mail with an id
    they have seen, so the key must be unique for the installation's lifetime (an id from a
    database that can be recreated should carry the entry's creation time too)."""
    if not _MESSAGE_ID.fullmatch(f"<x@{domain}>"):
        raise ValueError("the Message-ID domain must be a host name such as label.example")
    digest = hashlib.sha256(entry_key.encode("utf-8")).hexdigest()[:32]
    return f"<sleeve.{digest}@{domain.lower()}>"


def header_text(value: str) -> str:
    """One line of header text: control characters (CR and LF above all) become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


@cache
def template_environment() -> Environment:
    """Jinja over ``bot/mail/templates``: HTML autoescaped, plain text not, and a missing
    value an error rather than an empty string."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["http_url"] = http_url
    env.filters["quote"] = quote_lines
    return env


def compose(
    spec: MailSpec,
    *,
    sender: str,
    message_id: str,
    templates: Environment,
    sent_at: datetime | None = None,
) -> EmailMessage:
    """The mail as a ``multipart/alternative`` (text, HTML), inside ``multipart/mixed``
    when it has attachments. ``ValueError`` for a malformed address, Message-ID,
    attachment or context. ``sent_at`` is the Date header (now when not given)."""
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError("the Message-ID must look like <id@host>")
    context = _context(spec)
    text = templates.get_template(f"{spec.text_template}.txt").render(context)
    html = templates.get_template(f"{spec.text_template}.html").render(context)
    when = sent_at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("the Date must be timezone-aware")

    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender_address(sender)
    message["To"] = _recipient(spec.to_address, spec.to_name)
    if spec.reply_to:
        message["Reply-To"] = sender_address(spec.reply_to)
    message["Subject"] = header_text(spec.subject)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id
    # RFC 3834: vacation responders and the like leave an automatic mail unanswered.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, mimetype, data in spec.attachments:
        maintype, subtype = _mimetype(mimetype)
        message.add_attachment(
            bytes(data), maintype=maintype, subtype=subtype, filename=_filename(filename)
        )
    return message


def _kind(kind: str) -> _Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown mail kind {kind!r}; one of {', '.join(KINDS)}") from None


def _context(spec: MailSpec) -> dict[str, Any]:
    kind = _kind(spec.text_template)
    given = set(spec.context)
    if missing := kind.required - given:
        raise ValueError(f"{spec.text_template} mail needs {', '.join(sorted(missing))}")
    if unknown := given - kind.required - kind.optional:
        raise ValueError(f"{spec.text_template} mail has no {', '.join(sorted(unknown))}")
    # Optional values default to nothing, so templates test them with a plain {% if %}.
    context: dict[str, Any] = dict.fromkeys(kind.optional)
    context.update(spec.context)
    # Not a kind's key, so a caller can't set it: the names of what is really attached.
    context["attachment_names"] = [_filename(name) for name, _, _ in spec.attachments]
    return context


def _recipient(address: str, name: str) -> Address:
    try:
        mailbox = parse_address(address)
    except ValueError:
        raise ValueError(
            "the recipient is not an e-mail address such as jane@example.com"
        ) from None
    return Address(display_name=header_text(name), username=mailbox.username, domain=mailbox.domain)


def _mimetype(mimetype: str) -> tuple[str, str]:
    value = mimetype.strip().lower()
    if not _MIMETYPE.fullmatch(value):
        raise ValueError("an attachment's type must look like application/pdf")
    maintype, _, subtype = value.partition("/")
    return maintype, subtype


def _filename(filename: str) -> str:
    # The last path segment only: a mail client saves it under this name.
    name = header_text(filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(". ")
    if not name:
        raise ValueError("an attachment needs a file name")
    return name


def long_date(value: date | str | None) -> str:
    """``Friday 4 December 2026``; text is shown as given."""
    if isinstance(value, date):
        return f"{value:%A} {value.day} {value:%B %Y}"
    return "" if value is None else str(value)


def http_url(value: str | None) -> str | None:
    """The URL when it is http(s); anything else (``javascript:``) is no link."""
    text = (value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else None


def quote_lines(value: str) -> str:
    """Text quoted the e-mail way, each line after ``> ``."""
    return "\n".join(f"> {line}".rstrip() for line in str(value).splitlines())
