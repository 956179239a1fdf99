"""ISRCs typed into label copy: one canonical code, or a refusal that says what to fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import ValidationError
from bot.domain.identifiers import format_isrc, is_isrc, normalise_isrc

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODES = st.builds(
    lambda country, registrant, digits: country + registrant + digits,
    st.text(alphabet=UPPER, min_size=2, max_size=2),
    st.text(alphabet=UPPER + "0123456789", min_size=3, max_size=3),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
SEPARATORS = st.sampled_from(["", "-", " ", " - ", "–", "  "])


@pytest.mark.parametrize(
    "text",
    ["GBABC2700001", "gbabc2700001", "GB-ABC-27-00001", " gb abc 27 00001 ", "GB–ABC–27–00001"],
)
def test_ways_of_writing_an_isrc_normalise_to_the_code(text: str) -> None:
    assert normalise_isrc(text) == "GBABC2700001"
    assert is_isrc(text)
    assert format_isrc(text) == "GB-ABC-27-00001"


@settings(max_examples=200, deadline=None)
@given(CODES, st.lists(SEPARATORS, min_size=3, max_size=3), st.booleans())
def test_hyphens_spaces_and_case_never_change_the_code(
    code: str, seps: list[str], lower: bool
) -> None:
    written = f"{code[:2]}{seps[0]}{code[2:5]}{seps[1]}{code[5:7]}{seps[2]}{code[7:]}"
    written = written.lower() if lower else written
    assert normalise_isrc(written) == code
    assert normalise_isrc(format_isrc(code)) == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_gives_a_code_or_a_validation_error(text: str) -> None:
    try:
        code = normalise_isrc(text)
    except ValidationError as exc:
        assert exc.message
        assert not is_isrc(text)
    else:
        assert is_isrc(code) and len(code) == 12 and normalise_isrc(code) == code


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("GBABC27OOOO1", "the year and number are digits: did you mean 0 for O (GB-ABC-27-00001)?"),
        ("GB-ABC-2I-00001", "did you mean 1 for I (GB-ABC-21-00001)?"),
        ("gbabc27oooo1", "did you mean 0 for O (GB-ABC-27-00001)?"),
        ("GBABC27O000I", "did you mean 0 for O and 1 for I (GB-ABC-27-00001)?"),
        ("GBABC27l0001", "did you mean 1 for L (GB-ABC-27-10001)?"),
        ("G0ABC2700001", "the country is 2 letters: did you mean O for 0 (GO-ABC-27-00001)?"),
        ("1TABC2700001", "did you mean I for 1 (IT-ABC-27-00001)?"),
    ],
)
def test_look_alike_letters_and_digits_get_a_suggestion(text: str, hint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_isrc(text)
    assert hint in caught.value.message
    assert "isn't an ISRC" in caught.value.message


def test_a_registrant_may_hold_o_and_i_without_a_hint() -> None:
    # Characters 3-5 may be letters or digits: "OI1" is a valid registrant.
    assert normalise_isrc("GB-OI1-27-00001") == "GBOI12700001"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "The ISRC is empty; write it like GB-SLV-27-00014."),
        ("GBABC270001", "`GBABC270001` isn't an ISRC: it has 11 characters, not 12,"),
        ("GBABC27000011", "it has 13 characters, not 12"),
        ("GB.ABC.27.00001", "use letters and digits only"),
        ("ＧＢABC2700001", "use letters and digits only"),
        ("G2ABC2700001", "the country is 2 letters, not G2; write it like GB-SLV-27-00014."),
        ("GBABC27A0001", "the last 7 (year and number) are digits, not A;"),
        ("GBABC27OA001", "are digits, not O, A;"),
    ],
)
def test_malformed_isrcs_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_isrc(text)
    assert fragment in caught.value.message


def test_refusals_quote_the_text_safely_for_slack() -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_isrc("<!channel>GB")
    assert "<!channel>" not in caught.value.message
    assert "&lt;!channel&gt;" in caught.value.message
