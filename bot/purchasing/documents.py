"""Purchase orders and the label's own invoices as PDFs: plain data in, bytes out.

Pure: no database, no Slack. Amounts are ``Decimal`` end to end; a line total is quantity
times unit price rounded half-up to the cent, tax is charged once on the net (not per line)
and rounded the same way, so the PDF, the CSV export and any check agree to the cent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from itertools import zip_longest
from typing import Literal

from bot.domain.money import CENT, format_money
from bot.purchasing.pdf_layout import MARGIN, Column, Sheet

__all__ = [
    "Document",
    "DocumentLine",
    "Party",
    "filename",
    "format_amount",
    "format_quantity",
    "line_total",
    "net",
    "payment_terms",
    "render_pdf",
    "tax",
    "total",
]

Kind = Literal["purchase_order", "invoice"]
KINDS: tuple[Kind, ...] = ("purchase_order", "invoice")
TITLES: dict[Kind, str] = {"purchase_order": "Purchase order", "invoice": "Invoice"}
_CURRENCY = re.compile(r"[A-Z]{3}")
_FILE_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Room for any NUMERIC column times any quantity without the context rounding silently;
# the default traps stay on, so an impossible amount raises instead of going wrong.
_EXACT = Context(prec=80, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    name: str
    address_lines: tuple[str, ...]
    tax_id: str | None
    email: str | None

    def __post_init__(self) -> None:
        lines = self.address_lines
        # One string is one line, not a tuple of its characters.
        object.__setattr__(
            self, "address_lines", (lines,) if isinstance(lines, str) else tuple(lines)
        )


@dataclass(frozen=True)
class DocumentLine:
    item: str
    quantity: Decimal
    unit_price: Decimal
    unit: str | None = None

    def __post_init__(self) -> None:
        _require_decimal("quantity", self.quantity)
        _require_decimal("unit_price", self.unit_price)


@dataclass(frozen=True)
class Document:
    kind: Kind
    number: str
    issued_on: date
    issuer: Party
    recipient: Party
    currency: str
    lines: tuple[DocumentLine, ...]
    terms_days: int | None
    due: date | None
    reference: str | None
    notes: str | None
    tax_rate: Decimal = Decimal("0")  # percent
    cancelled: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if not _CURRENCY.fullmatch(self.currency):
            raise ValueError(f"currency must be an ISO 4217 code like EUR, not {self.currency!r}")
        if self.terms_days is not None and self.terms_days < 0:
            raise ValueError("terms_days cannot be negative")
        _require_decimal("tax_rate", self.tax_rate)
        # A list is accepted and frozen, so callers can build lines however they like.
        object.__setattr__(self, "lines", tuple(self.lines))


def _require_decimal(name: str, value: object) -> None:
    # A float would carry binary error into an amount; refuse it rather than convert.
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite amount, not {value}")


def _cents(amount: Decimal) -> Decimal:
    with localcontext(_EXACT):
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(line: DocumentLine) -> Decimal:
    """Quantity x unit price, rounded half-up to the cent."""
    with localcontext(_EXACT):
        return _cents(line.quantity * line.unit_price)


def net(doc: Document) -> Decimal:
    """The sum of the line totals."""
    with localcontext(_EXACT):
        return sum((line_total(line) for line in doc.lines), Decimal("0.00"))


def tax(doc: Document) -> Decimal:
    """Tax on the net at ``doc.tax_rate`` percent, rounded half-up to the cent."""
    with localcontext(_EXACT):
        return _cents(net(doc) * doc.tax_rate / 100)


def total(doc: Document) -> Decimal:
    with localcontext(_EXACT):
        return net(doc) + tax(doc)


def format_quantity(value: Decimal) -> str:
    """``500``, ``12.5``, ``1,000``: no trailing zeros, never an exponent."""
    return f"{value.normalize():,f}"


def format_amount(amount: Decimal, currency: str) -> str:
    """``1,075.00 EUR``; a unit price finer than a cent (0.125) is shown as it is."""
    if amount == _cents(amount):
        return format_money(amount, currency)
    return f"{amount:,f} {currency}"


def payment_terms(doc: Document) -> str | None:
    """``Net 30 days``, ``Net 1 day``, ``Due on receipt``; None when the terms are unset."""
    if doc.terms_days is None:
        return None
    if doc.terms_days == 0:
        return "Due on receipt"
    return f"Net {doc.terms_days} day{'' if doc.terms_days == 1 else 's'}"


def filename(doc: Document) -> str:
    """``PO-2027-0001.pdf``: the number, with anything a file system might mind replaced."""
    stem = _FILE_UNSAFE.sub("-", doc.number).strip(".-") or "document"
    return f"{stem}.pdf"


def render_pdf(doc: Document) -> bytes:
    """The document as an A4 PDF; the same document always gives the same bytes."""
    with localcontext(_EXACT):  # formatting quantizes too; a large amount must not overflow
        return _render(doc)


def _render(doc: Document) -> bytes:
    title = TITLES[doc.kind]
    label = f"{title} {doc.number}" + (" - CANCELLED" if doc.cancelled else "")
    sheet = Sheet(label, datetime.combine(doc.issued_on, time(), tzinfo=UTC))
    sheet.set_title(_metadata(doc.number))
    sheet.set_creator("Sleeve")
    sheet.set_author(_metadata(doc.issuer.name))
    sheet.set_subject(_metadata(label))
    _draw_heading(sheet, doc, title)
    _draw_parties(sheet, doc)
    _draw_lines(sheet, doc)
    _draw_totals(sheet, doc)
    if doc.notes:
        sheet.ln(4)
        sheet.heading("Notes", size=10)
        sheet.table([Column(180)], [[doc.notes]])
    return bytes(sheet.output())


def _metadata(text: str) -> str:
    # Metadata is stored as UTF-16, which cannot hold a lone surrogate; those become "?".
    return text.encode("utf-8", "replace").decode("utf-8")


def _draw_heading(sheet: Sheet, doc: Document, title: str) -> None:
    sheet.heading(title, size=20)
    if doc.cancelled:
        sheet.heading("CANCELLED", size=16, red=True, boxed=True)
        sheet.table(
            [Column(180)],
            [[f"{title} {doc.number} is cancelled. The number stays with it and is not reused."]],
        )
    sheet.ln(2)
    facts = [("Number", doc.number), ("Date", doc.issued_on.isoformat())]
    terms = payment_terms(doc)
    if terms:
        facts.append(("Payment terms", terms))
    if doc.due:
        facts.append(("Due", doc.due.isoformat()))
    if doc.reference:
        facts.append(("Reference", doc.reference))
    sheet.table([Column(30), Column(150)], facts)
    sheet.ln(4)


def _party_lines(party: Party) -> list[str]:
    lines = list(party.address_lines)
    if party.tax_id:
        lines.append(f"Tax id: {party.tax_id}")
    if party.email:
        lines.append(party.email)
    return lines


def _draw_parties(sheet: Sheet, doc: Document) -> None:
    to = "Bill to" if doc.kind == "invoice" else "To"
    columns = [Column(87), Column(6), Column(87)]
    sheet.set_text_color(90)
    sheet.table(columns, [["From", "", to]])
    sheet.set_text_color(0)
    sheet.table(columns, [[doc.issuer.name, "", doc.recipient.name]], bold=True)
    pairs = zip_longest(_party_lines(doc.issuer), _party_lines(doc.recipient), fillvalue="")
    sheet.table(columns, [[left, "", right] for left, right in pairs])
    sheet.ln(6)


_LINE_COLUMNS = [Column(68), Column(22, "R"), Column(16), Column(36, "R"), Column(38, "R")]
_LINE_HEADER = ["Item", "Quantity", "Unit", "Unit price", "Line total"]


def _draw_lines(sheet: Sheet, doc: Document) -> None:
    rows = [
        [
            line.item,
            format_quantity(line.quantity),
            line.unit or "",
            format_amount(line.unit_price, doc.currency),
            format_money(line_total(line), doc.currency),
        ]
        for line in doc.lines
    ] or [["No lines", "", "", "", ""]]
    sheet.table(_LINE_COLUMNS, rows, header=_LINE_HEADER, rule=True)
    sheet.ln(3)


def _draw_totals(sheet: Sheet, doc: Document) -> None:
    columns = [Column(46, "R"), Column(44, "R")]
    x = MARGIN + 180 - sum(c.width for c in columns)
    sheet.ensure_space(20)  # net, tax and total stay together
    rate = f"Tax ({format_quantity(doc.tax_rate)}%)"
    sheet.table(
        columns,
        [
            ["Net", format_money(net(doc), doc.currency)],
            [rate, format_money(tax(doc), doc.currency)],
        ],
        x=x,
    )
    sheet.table(columns, [["Total", format_money(total(doc), doc.currency)]], x=x, bold=True)
