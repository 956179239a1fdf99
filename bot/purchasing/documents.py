"""Purchase orders and the label's own invoices as PDFs: plain data in, bytes out.

Pure: no database, no Slack. Amounts are ``Decimal`` end to end; a line total is quantity
times unit price rounded half-up to the cent, tax is charged once on the net (not per line)
and rounded the same way, so the PDF, the CSV export and any check agree to the cent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal

from bot.domain.money import CENT, format_money

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
EXACT = Context(prec=80, rounding=ROUND_HALF_UP)


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
    with localcontext(EXACT):
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(line: DocumentLine) -> Decimal:
    """Quantity x unit price, rounded half-up to the cent."""
    with localcontext(EXACT):
        return _cents(line.quantity * line.unit_price)


def net(doc: Document) -> Decimal:
    """The sum of the line totals."""
    with localcontext(EXACT):
        return sum((line_total(line) for line in doc.lines), Decimal("0.00"))


def tax(doc: Document) -> Decimal:
    """Tax on the net at ``doc.tax_rate`` percent, rounded half-up to the cent."""
    with localcontext(EXACT):
        return _cents(net(doc) * doc.tax_rate / 100)


def total(doc: Document) -> Decimal:
    with localcontext(EXACT):
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
