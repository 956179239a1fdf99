"""Money for rate agreements: exact decimal amounts, ISO 4217 currencies, billing units.

Amounts are ``Decimal`` from the text the user typed to the database column and back;
a float never holds one, so 0.10 + 0.20 stays 0.30.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from functools import cache
from importlib import resources

from bot.core.errors import ValidationError, echo

UNITS = ("hour", "day", "asset", "project")
_UNIT_ALIASES = {"h": "hour", "hr": "hour", "hourly": "hour", "daily": "day", "piece": "asset"}
# At most 10 whole digits: the column is NUMERIC(12, 2). ASCII digits only (\d takes any script).
_AMOUNT = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?")
_TOO_PRECISE = re.compile(r"[0-9]+\.[0-9]{3,}")
_CODE = re.compile(r"[A-Za-z]{3}")
CENT = Decimal("0.01")


@cache
def currencies() -> dict[str, str]:
    """ISO 4217 code -> name, from the list shipped in ``bot/data/currencies.txt``."""
    text = resources.files("bot").joinpath("data").joinpath("currencies.txt").read_text("utf-8")
    pairs = (line.split(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name for code, name in pairs}


def parse_amount(text: str, *, field: str = "rate") -> Decimal:
    """``450``, ``62.5`` or ``62.50`` -> Decimal("62.50"); anything else is a ValidationError."""
    value = text.strip()
    match = _AMOUNT.fullmatch(value)
    if match is None:
        if _TOO_PRECISE.fullmatch(value):
            raise ValidationError(
                f"`{field}` has at most 2 decimals, e.g. {field}:62.50 (got {echo(value)})."
            )
        raise ValidationError(
            f"`{field}` should be an amount like 450 or 62.50, digits and a dot only "
            f"(got {echo(value)})."
        )
    amount = Decimal(match.group(0)).quantize(CENT)
    if amount <= 0:
        raise ValidationError(f"`{field}` must be more than zero, e.g. {field}:450.")
    return amount


def parse_currency(text: str, *, field: str = "currency") -> str:
    code = text.strip().upper()
    if _CODE.fullmatch(code) and code in currencies():
        return code
    guesses = difflib.get_close_matches(code, currencies(), n=1) if _CODE.fullmatch(code) else []
    hint = f" Did you mean {guesses[0]}?" if guesses else ""
    raise ValidationError(
        f"`{field}` should be an ISO 4217 currency code like GBP, EUR or USD "
        f"(got {echo(text)}).{hint}"
    )


def parse_unit(text: str, *, field: str = "per") -> str:
    word = text.strip().lower()
    word = _UNIT_ALIASES.get(word, word)
    if word.endswith("s") and word[:-1] in UNITS:
        word = word[:-1]
    if word in UNITS:
        return word
    raise ValidationError(
        f"`{field}` is one of {', '.join(UNITS)}, e.g. {field}:hour (got {echo(text)})."
    )


def format_money(amount: Decimal, currency: str) -> str:
    """``1,250.00 GBP``: grouped for reading, always two decimals."""
    return f"{amount.quantize(CENT):,} {currency}"


def format_rate(amount: Decimal, currency: str, unit: str) -> str:
    return f"{format_money(amount, currency)} per {unit}"
