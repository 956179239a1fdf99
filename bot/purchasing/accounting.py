"""CSV for the accountant: invoices and order lines, one row each. Pure: rows in, text out.

Amounts are plain decimals with two places and no grouping ("1075.00") and dates are ISO,
so any spreadsheet or ledger import reads them without a locale. Text typed by users goes
through ``spreadsheet_safe`` so a vendor called "=HYPERLINK(...)" stays text when opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from bot.purchasing.documents import DocumentLine, line_total

Direction = Literal["in", "out"]  # a supplier's invoice to the label, or the label's own

# Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP "CSV
# injection"), with the full-width forms some locales also accept.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

INVOICE_COLUMNS = (
    "number",
    "vendor",
    "direction",
    "issued_on",
    "due",
    "currency",
    "amount",
    "status",
    "order_number",
    "release_catno",
)
ORDER_LINE_COLUMNS = (
    "order_number",
    "status",
    "supplier",
    "release_catno",
    "item",
    "quantity",
    "unit",
    "unit_price",
    "line_total",
    "currency",
)


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    vendor: str
    direction: Direction
    issued_on: date
    due: date | None
    currency: str
    amount: Decimal
    status: str
    order_number: str | None
    release_catno: str | None


@dataclass(frozen=True)
class OrderLineRow:
    """One line of an order; the line total is computed, never stored, so it cannot drift."""

    order_number: str
    status: str
    supplier: str  # the vendor or freelancer the order is placed with
    release_catno: str | None
    item: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    currency: str

    @property
    def line_total(self) -> Decimal:
        return line_total(DocumentLine(self.item, self.quantity, self.unit_price, self.unit))


def spreadsheet_safe(text: str | None) -> str:
    """User text as a cell that no spreadsheet evaluates: a formula start gets a ``'``."""
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def plain_amount(amount: Decimal) -> str:
    """``1075.00``: at least two places, more only when the value has them (0.125)."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"an amount must be a finite Decimal, not {amount!r}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        amount = amount.quantize(Decimal("0.01"))
    return f"{amount:f}"


def plain_quantity(quantity: Decimal) -> str:
    """``500``, ``12.5``: no trailing zeros, no exponent, no grouping."""
    if not isinstance(quantity, Decimal) or not quantity.is_finite():
        raise ValueError(f"a quantity must be a finite Decimal, not {quantity!r}")
    return f"{quantity.normalize():f}"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as spreadsheets expect
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def invoice_rows(invoices: Iterable[InvoiceRow]) -> str:
    """CSV text, header first, one row per invoice in the order given."""
    return _csv(
        INVOICE_COLUMNS,
        (
            [
                spreadsheet_safe(inv.number),
                spreadsheet_safe(inv.vendor),
                spreadsheet_safe(inv.direction),
                _iso(inv.issued_on),
                _iso(inv.due),
                spreadsheet_safe(inv.currency),
                plain_amount(inv.amount),
                spreadsheet_safe(inv.status),
                spreadsheet_safe(inv.order_number),
                spreadsheet_safe(inv.release_catno),
            ]
            for inv in invoices
        ),
    )


def order_line_rows(lines: Iterable[OrderLineRow]) -> str:
    """CSV text, header first, one row per order line in the order given."""
    return _csv(
        ORDER_LINE_COLUMNS,
        (
            [
                spreadsheet_safe(line.order_number),
                spreadsheet_safe(line.status),
                spreadsheet_safe(line.supplier),
                spreadsheet_safe(line.release_catno),
                spreadsheet_safe(line.item),
                plain_quantity(line.quantity),
                spreadsheet_safe(line.unit),
                plain_amount(line.unit_price),
                plain_amount(line.line_total),
                spreadsheet_safe(line.currency),
            ]
            for line in lines
        ),
    )
