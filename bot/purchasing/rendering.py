"""Drawing a purchase order or an invoice on A4 with fpdf2. The PDF library is heavy and only
issuing a document needs it, so callers import this module when they render, not at start."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import localcontext
from itertools import zip_longest

from bot.domain.money import format_money
from bot.purchasing.documents import (
    EXACT,
    TITLES,
    Document,
    Party,
    format_amount,
    format_quantity,
    line_total,
    net,
    payment_terms,
    tax,
    total,
)
from bot.purchasing.pdf_layout import MARGIN, Column, Sheet


def render_pdf(doc: Document) -> bytes:
    """The document as an A4 PDF; the same document always gives the same bytes."""
    with localcontext(EXACT):  # formatting quantizes too; a large amount must not overflow
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
