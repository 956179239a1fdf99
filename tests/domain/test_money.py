"""Amounts, currencies, units and contact details: every input gives a value or a
ValidationError, never another exception."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import ValidationError
from bot.domain import contact
from bot.domain.money import (
    UNITS,
    currencies,
    format_money,
    parse_amount,
    parse_currency,
    parse_unit,
)

# Text that looks like money more often than arbitrary text would.
MONEYISH = st.one_of(
    st.text(),
    st.from_regex(r"\A[ +-]?[0-9,._ ]{0,16}(e[0-9]{1,3})?\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("450", Decimal("450.00")),
        (" 62.5 ", Decimal("62.50")),
        ("0.10", Decimal("0.10")),
        ("0.01", Decimal("0.01")),
        ("9999999999.99", Decimal("9999999999.99")),
    ],
)
def test_amounts_are_exact(text: str, amount: Decimal) -> None:
    parsed = parse_amount(text)
    assert parsed == amount and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("12.345", "at most 2 decimals"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("-5", "like 450"),
        ("1e3", "like 450"),
        ("1,200", "like 450"),
        ("NaN", "like 450"),
        ("٤٥٠", "like 450"),  # digits of another script
        ("10000000000", "like 450"),  # over NUMERIC(12, 2)
        ("", "like 450"),
    ],
)
def test_bad_amounts_are_refused(text: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        parse_amount(text)


@given(MONEYISH)
def test_any_amount_text_gives_an_exact_amount_or_a_validation_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except ValidationError:
        return
    assert isinstance(amount, Decimal) and amount > 0
    assert amount == amount.quantize(Decimal("0.01")) and amount < Decimal("1e10")
    assert parse_amount(str(amount)) == amount  # round-trips through its own text


@given(st.text(max_size=8))
def test_any_currency_text_gives_a_known_code_or_a_validation_error(text: str) -> None:
    try:
        code = parse_currency(text)
    except ValidationError:
        return
    assert code in currencies() and code == text.strip().upper()


@given(st.text(max_size=12))
def test_any_unit_text_gives_a_unit_or_a_validation_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        assert parse_unit(text) in UNITS


def test_currencies_are_the_active_iso_4217_codes() -> None:
    codes = currencies()
    assert {"GBP", "EUR", "USD", "JPY", "CHF", "ZWG"} <= set(codes)
    assert not {"XXX", "XTS", "XAU", "HRK", "DEM", "FRF"} & set(codes)
    assert parse_currency(" gbp ") == "GBP"
    with pytest.raises(ValidationError, match="ISO 4217"):
        parse_currency("EURO")


def test_units_accept_plurals_and_common_words() -> None:
    assert [parse_unit(u) for u in ("hours", "Day", "hr", "assets", "project")] == [
        "hour",
        "day",
        "hour",
        "asset",
        "project",
    ]


def test_money_is_shown_with_two_decimals_and_grouping() -> None:
    assert format_money(Decimal("1234.5"), "GBP") == "1,234.50 GBP"


@pytest.mark.parametrize(
    "email", ["jane@example.com", "J.Doe+art@studio.example.co.uk", "o'neil@example.ie"]
)
def test_good_emails_are_lower_cased(email: str) -> None:
    assert contact.email(email) == email.lower()


@pytest.mark.parametrize(
    "email",
    [
        "jane",
        "jane@",
        "@example.com",
        "jane@example",
        "jane doe@example.com",
        "a@b..com",
        "a@-b.com",
    ],
)
def test_bad_emails_are_refused(email: str) -> None:
    with pytest.raises(ValidationError, match=r"jane@example\.com"):
        contact.email(email)


@given(st.text(max_size=300))
def test_contact_fields_never_raise_anything_but_validation_errors(text: str) -> None:
    for check in (
        contact.email,
        contact.name,
        contact.phone,
        contact.url,
        contact.notes,
        contact.skills,
        contact.slack_user,
    ):
        with contextlib.suppress(ValidationError):
            check(text)


def test_urls_and_skills() -> None:
    assert contact.url("https://jane.example.com/work?x=1") == "https://jane.example.com/work?x=1"
    for bad in ("jane.example.com", "javascript:alert(1)", "https://", "https://a b.com"):
        with pytest.raises(ValidationError, match=r"https://jane\.example\.com"):
            contact.url(bad)
    assert contact.skills(" Layout, layout ,type,, ") == ("Layout", "type")
