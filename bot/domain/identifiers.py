"""Release identifiers: UPC-A / EAN-13 barcodes, catalog numbers and ISRCs.

Each function takes what a person typed and returns the canonical form, or raises a
ValidationError naming the field and showing a correct example.
"""

from __future__ import annotations

import re

from bot.core.errors import NotFoundError, ValidationError, echo

UPC_EXAMPLE = "036000241457"
CATNO_EXAMPLE = "SLV-014"
ISRC_EXAMPLE = "GB-SLV-27-00014"
CATNO_MAX = 32

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Letters, digits, hyphen, dot and slash; starts and ends with a letter or digit.
_CATNO = re.compile(r"[A-Z0-9](?:[A-Z0-9./-]*[A-Z0-9])?", re.ASCII)
_ISRC = re.compile(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}", re.ASCII)
# Separators people type inside codes; none of them is part of the code.
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (11 for UPC-A, 12 for EAN-13).

    Weights alternate 3, 1, 3, … counted from the right of ``body``; for UPC-A that is the
    same as tripling the digits in odd positions from the left.
    """
    if not _DIGITS.fullmatch(body):
        raise ValueError(f"not digits: {body!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_upc(text: str) -> str:
    """A UPC-A (12 digits) or EAN-13 (13 digits) with a correct check digit, digits only."""
    code = _SEPARATORS.sub("", text)
    like = f"like {UPC_EXAMPLE} (UPC-A, 12 digits) or 4006381333931 (EAN-13, 13 digits)"
    if not code:
        raise ValidationError(f"`upc:` is empty; give the barcode number {like}.")
    if not _DIGITS.fullmatch(code):
        raise ValidationError(f"`upc:` should be digits only, {like} (got {echo(text)}).")
    if len(code) not in (12, 13):
        raise ValidationError(f"`upc:` has {len(code)} digits; it should have 12 or 13, {like}.")
    expected = gtin_check_digit(code[:-1])
    if int(code[-1]) != expected:
        kind = "UPC-A" if len(code) == 12 else "EAN-13"
        raise ValidationError(
            f"`upc:` {code} fails the {kind} check digit: after {code[:-1]} the last digit "
            f"should be {expected} ({code[:-1]}{expected}), unless another digit is mistyped."
        )
    return code


def normalize_catno(text: str) -> str:
    """``slv-014lp`` -> ``SLV-014LP``: letters, digits, ``-``, ``.`` and ``/``, with a number."""
    code = text.strip().upper()
    like = f"like {CATNO_EXAMPLE} or SLV-014LP"
    if not code:
        raise ValidationError(f"`catno:` is empty; give a catalog number {like}.")
    if any(c.isspace() for c in code):
        hyphenated = "-".join(code.split())
        raise ValidationError(
            f"`catno:` can't contain spaces; write {echo(hyphenated)} rather than {echo(code)}."
        )
    if len(code) > CATNO_MAX:
        raise ValidationError(
            f"`catno:` is {len(code)} characters; keep it to {CATNO_MAX}, {like}."
        )
    if not _CATNO.fullmatch(code):
        raise ValidationError(
            "`catno:` may use letters, digits and - . / only, starting and ending with a "
            f"letter or digit, {like} (got {echo(text)})."
        )
    # Without a number it reads as a word, and every label's numbering has one.
    if not any(c.isdigit() for c in code):
        raise ValidationError(f"`catno:` needs a number, {like} (got {echo(text)}).")
    return code


def validate_isrc(text: str) -> str:
    """``gb-slv-27-00014`` -> ``GBSLV2700014``: country, registrant, year, designation."""
    code = _SEPARATORS.sub("", text).upper()
    like = f"like {ISRC_EXAMPLE} (country, registrant, year, number)"
    if not code:
        raise ValidationError(f"`isrc:` is empty; give a code {like}.")
    if _ISRC.fullmatch(code):
        return code
    if len(code) != 12:
        raise ValidationError(
            f"`isrc:` has {len(code)} characters; an ISRC has 12, {like} (got {echo(text)})."
        )
    problems = []
    if not code[:2].isalpha() or not code[:2].isascii():
        problems.append("the first 2 must be letters (the country)")
    if not code[2:5].isalnum() or not code[2:5].isascii():
        problems.append("characters 3–5 must be letters or digits (the registrant)")
    tail = code[5:]
    if not _DIGITS.fullmatch(tail):
        hint = " — O and I are easily typed for 0 and 1" if set(tail) & set("OIL") else ""
        problems.append(f"the last 7 must be digits (year and number){hint}")
    raise ValidationError(
        f"`isrc:` {echo(text)} isn't valid: {'; '.join(problems)}. Write it {like}."
    )


def format_isrc(text: str) -> str:
    """The display form ``CC-XXX-YY-NNNNN``; the hyphens are not part of the code."""
    code = validate_isrc(text)
    return f"{code[:2]}-{code[2:5]}-{code[5:7]}-{code[7:]}"


# Letters typed for digits in the year and number, and digits typed for country letters.
_AS_DIGIT = {"O": "0", "I": "1", "L": "1"}
_AS_LETTER = {"0": "O", "1": "I"}


def is_isrc(text: str) -> bool:
    """Whether ``text`` is an ISRC once spaces and hyphens are dropped and letters upper-cased."""
    return _ISRC.fullmatch(_SEPARATORS.sub("", text).upper()) is not None


def normalise_isrc(text: str) -> str:
    """``gb-slv-27-00014`` -> ``GBSLV2700014``, or a ValidationError saying what to fix.

    Unlike ``validate_isrc`` (the ``isrc:`` field) the messages name no field, so they read
    well after a tracklist line or a CSV row, and a letter typed for a digit (O for 0, I or L
    for 1) or a digit for a country letter gets a suggested correction.
    """
    code = _SEPARATORS.sub("", text).upper()
    like = f"like {ISRC_EXAMPLE}"
    if not code:
        raise ValidationError(f"The ISRC is empty; write it {like}.")
    if _ISRC.fullmatch(code):
        return code
    shown = echo(text)
    if not code.isascii() or not code.isalnum():
        raise ValidationError(f"{shown} isn't an ISRC: use letters and digits only, {like}.")
    if len(code) != 12:
        raise ValidationError(
            f"{shown} isn't an ISRC: it has {len(code)} characters, not 12, {like} "
            "(country, registrant, year, number)."
        )
    country, digits = code[:2], code[5:]
    if not country.isalpha():
        hint = (
            _confusion_hint(code, range(0, 2), _AS_LETTER) or f", not {country}; write it {like}."
        )
        raise ValidationError(f"{shown} isn't an ISRC: the country is 2 letters{hint}")
    # Characters 3-5 (the registrant) may be letters or digits, so only the tail is left.
    if hint := _confusion_hint(code, range(5, 12), _AS_DIGIT):
        raise ValidationError(f"{shown} isn't an ISRC: the year and number are digits{hint}")
    letters = ", ".join(dict.fromkeys(c for c in digits if not c.isdigit()))
    raise ValidationError(
        f"{shown} isn't an ISRC: the last 7 (year and number) are digits, not {letters}; "
        f"write it {like}."
    )


def _confusion_hint(code: str, span: range, swaps: dict[str, str]) -> str:
    """``: did you mean 0 for O (GB-SLV-27-00014)?`` when swapping look-alikes in ``span``
    makes a valid code; empty when something else is wrong there too."""
    wrong = [code[i] for i in span if code[i] in swaps]
    fixed = "".join(swaps[c] if i in span and c in swaps else c for i, c in enumerate(code))
    if not wrong or not _ISRC.fullmatch(fixed):
        return ""
    swapped = " and ".join(f"{swaps[c]} for {c}" for c in dict.fromkeys(wrong))
    display = f"{fixed[:2]}-{fixed[2:5]}-{fixed[5:7]}-{fixed[7:]}"
    return f": did you mean {swapped} ({display})?"


def no_such_release(catno: str) -> NotFoundError:
    return NotFoundError(
        f"There is no release {echo(catno.strip().upper(), 32)}. `/release list` shows them all."
    )
