"""Barcodes, catalog numbers and ISRCs: canonical forms and helpful refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import ValidationError
from bot.domain.identifiers import (
    format_isrc,
    gtin_check_digit,
    normalize_catno,
    validate_isrc,
    validate_upc,
)

DIGITS = st.text(alphabet="0123456789", min_size=11, max_size=11)
DIGITS_12 = st.text(alphabet="0123456789", min_size=12, max_size=12)


def upc_a_check_digit(body: str) -> int:
    """GS1's UPC-A rule, written independently: odd positions from the left times 3."""
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return (10 - (odd * 3 + even) % 10) % 10


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("036000241457", "036000241457"),
        (" 0 36000 24145 7 ", "036000241457"),
        ("036000-241457", "036000241457"),
        ("4006381333931", "4006381333931"),
        ("400-6381-33393-1", "4006381333931"),
        ("5012345678900", "5012345678900"),
        ("012345678905", "012345678905"),
    ],
)
def test_valid_barcodes_come_back_as_digits(text: str, code: str) -> None:
    assert validate_upc(text) == code


def test_upc_with_a_wrong_check_digit_says_what_it_should_be() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upc("036000241456")
    message = caught.value.message
    assert message.startswith("`upc:` 036000241456 fails the UPC-A check digit")
    assert "should be 7 (036000241457)" in message


def test_ean_with_a_wrong_check_digit_says_what_it_should_be() -> None:
    with pytest.raises(ValidationError, match=r"EAN-13 .* should be 1 \(4006381333931\)"):
        validate_upc("4006381333930")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "is empty"),
        ("  - ", "is empty"),
        ("03600024145", "has 11 digits"),
        ("03600024145712", "has 14 digits"),
        ("03600024145X", "digits only"),
        ("036000.241457", "digits only"),
        ("０３６０００２４１４５７", "digits only"),  # full-width digits
    ],
)
def test_malformed_barcodes_are_refused_with_an_example(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upc(text)
    assert caught.value.message.startswith("`upc:`")
    assert fragment in caught.value.message
    assert "036000241457" in caught.value.message


@settings(max_examples=300, deadline=None)
@given(DIGITS)
def test_any_11_digits_with_their_check_digit_validate(body: str) -> None:
    assert validate_upc(body + str(gtin_check_digit(body))) == body + str(gtin_check_digit(body))


@settings(max_examples=300, deadline=None)
@given(DIGITS, st.integers(min_value=1, max_value=9))
def test_any_other_last_digit_is_refused(body: str, offset: int) -> None:
    wrong = (gtin_check_digit(body) + offset) % 10
    with pytest.raises(ValidationError, match=f"should be {gtin_check_digit(body)}"):
        validate_upc(f"{body}{wrong}")


@settings(max_examples=300, deadline=None)
@given(DIGITS_12, st.integers(min_value=1, max_value=9))
def test_ean13_check_digit_validates_and_others_are_refused(body: str, offset: int) -> None:
    check = gtin_check_digit(body)
    assert validate_upc(f"{body}{check}") == f"{body}{check}"
    with pytest.raises(ValidationError):
        validate_upc(f"{body}{(check + offset) % 10}")


@settings(max_examples=300, deadline=None)
@given(DIGITS)
def test_upc_a_rule_matches_the_gtin_rule_and_survives_a_leading_zero(body: str) -> None:
    check = gtin_check_digit(body)
    assert check == upc_a_check_digit(body)
    # A UPC-A is the EAN-13 with a leading 0, and keeps its check digit.
    assert gtin_check_digit("0" + body) == check


@settings(max_examples=200, deadline=None)
@given(DIGITS, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_any_single_mistyped_digit_is_caught(body: str, position: int, offset: int) -> None:
    code = body + str(gtin_check_digit(body))
    mistyped = code[:position] + str((int(code[position]) + offset) % 10) + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_upc(mistyped)


@pytest.mark.parametrize(
    ("text", "catno"),
    [
        ("SLV-014", "SLV-014"),
        ("  slv-014lp ", "SLV-014LP"),
        ("slv.014", "SLV.014"),
        ("SLV/014/7", "SLV/014/7"),
        ("014", "014"),
        ("A" * 31 + "1", "A" * 31 + "1"),
    ],
)
def test_catalog_numbers_are_upper_cased(text: str, catno: str) -> None:
    assert normalize_catno(text) == catno


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("SLV 014", "can't contain spaces; write `SLV-014` rather than `SLV 014`"),
        ("SLV_014", "letters, digits and - . / only"),
        ("SLV#14", "letters, digits and - . / only"),
        ("-SLV014", "starting and ending with a letter or digit"),
        ("SLV014-", "starting and ending with a letter or digit"),
        ("ŚLV-014", "letters, digits and - . / only"),
        ("SLV", "needs a number"),
        ("S" * 32 + "1", "is 33 characters; keep it to 32"),
    ],
)
def test_bad_catalog_numbers_are_refused_with_an_example(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_catno(text)
    assert caught.value.message.startswith("`catno:`")
    assert fragment in caught.value.message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_catalog_numbers_are_canonical_or_refused(text: str) -> None:
    try:
        catno = normalize_catno(text)
    except ValidationError as exc:
        assert exc.message.startswith("`catno:`")
    else:
        assert normalize_catno(catno) == catno
        assert 1 <= len(catno) <= 32 and catno == catno.upper()


@pytest.mark.parametrize(
    ("text", "isrc", "shown"),
    [
        ("USRC17607839", "USRC17607839", "US-RC1-76-07839"),
        ("gb-slv-27-00014", "GBSLV2700014", "GB-SLV-27-00014"),
        (" GB SLV 27 00014 ", "GBSLV2700014", "GB-SLV-27-00014"),
    ],
)
def test_isrcs_are_normalised_and_formatted(text: str, isrc: str, shown: str) -> None:
    assert validate_isrc(text) == isrc
    assert format_isrc(text) == shown


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "is empty"),
        ("GBSLV270001", "has 11 characters; an ISRC has 12"),
        ("G1SLV2700014", "the first 2 must be letters"),
        ("GBS_V2700014", "characters 3–5 must be letters or digits"),
        ("GBSLV27OO014", "O and I are easily typed for 0 and 1"),
        ("GBSLV2A00014", "the last 7 must be digits (year and number)."),
    ],
)
def test_bad_isrcs_say_which_part_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_isrc(text)
    assert caught.value.message.startswith("`isrc:`")
    assert fragment in caught.value.message
    assert "GB-SLV-27-00014" in caught.value.message
