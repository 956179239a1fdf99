"""Order and invoice lines as typed: item, quantity and unit price, exact decimals throughout.

Prices reuse the money parser (digits and a dot, two decimals, so "12,50" is refused with a
clear message); quantities may have three decimals (12.5 hours, 0.25 days).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.core.errors import ValidationError, echo
from bot.domain import contact, money
from bot.storage.purchasing_models import line_total

MAX_ITEM = 200
MAX_LINES = 50
# What NUMERIC(12, 2) holds: an order or invoice total above it can't be stored.
MAX_TOTAL = Decimal("9999999999.99")
_QUANTITY = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,3})?")
_TOO_PRECISE = re.compile(r"[0-9]+\.[0-9]{4,}")
_ZERO = re.compile(r"0{1,10}(?:\.0{1,2})?")


@dataclass(frozen=True)
class LineInput:
    """A line as the user typed it."""

    item: str
    quantity: str
    price: str


@dataclass(frozen=True)
class Line:
    item: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return line_total(self.quantity, self.unit_price)


def parse_quantity(text: str, *, field: str = "qty") -> Decimal:
    """``500``, ``12.5`` or ``0.25`` -> an exact Decimal above zero, at most 3 decimals."""
    value = text.strip()
    if not _QUANTITY.fullmatch(value):
        if _TOO_PRECISE.fullmatch(value):
            raise ValidationError(
                f"`{field}` has at most 3 decimals, e.g. {field}:12.5 (got {echo(value)})."
            )
        raise ValidationError(
            f"`{field}` should be a number like 500 or 12.5, digits and a dot only "
            f"(got {echo(value)})."
        )
    quantity = Decimal(value)
    if quantity <= 0:
        raise ValidationError(f"`{field}` must be more than zero, e.g. {field}:500.")
    return quantity


def parse_price(text: str, *, field: str = "price") -> Decimal:
    """A unit price: like an amount, but a free line (price:0) is allowed."""
    value = text.strip()
    if _ZERO.fullmatch(value):
        return Decimal("0.00")
    return money.parse_amount(value, field=field)


def parse_item(text: str, *, field: str = "item") -> str:
    return contact.text(text, field=field, limit=MAX_ITEM, example='item:"LP pressing 140g"')


def clean_line(data: LineInput) -> Line:
    """Every part checked; the first problem is the error (they are typed together)."""
    line = Line(parse_item(data.item), parse_quantity(data.quantity), parse_price(data.price))
    if line.total > MAX_TOTAL:
        raise ValidationError(f"That line comes to {line.total:,}; it is more than Sleeve holds.")
    return line


def check_total(total: Decimal) -> None:
    if total > MAX_TOTAL:
        raise ValidationError(f"The lines come to {total:,}, more than Sleeve holds.")
