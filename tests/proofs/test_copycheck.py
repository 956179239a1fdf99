"""The copy check: label copy against a proof's live text, on generated PDFs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bot.devtools import artwork
from bot.devtools.artwork import TextBlock
from bot.proofs.preflight import copycheck, preflight_file
from bot.proofs.preflight.copycheck import (
    NEEDS_PDF,
    NO_LIVE_TEXT,
    CopyReference,
    copy_check_pdf,
    copy_check_raster,
    preflight_with_copy,
)
from bot.proofs.preflight.copytext import PageText, normalise, tokens
from bot.proofs.preflight.findings import Check
from tests.proofs.preflight_support import SMALL_BOOKLET, SMALL_TRIM, spec

pytestmark = pytest.mark.skipif(artwork.embeddable_font() is None, reason="no TrueType font")

TITLES = ("Night Drive (Radio Edit)", "Don't Look Back", "Café Society", "Dawn Chorus")
REFERENCE = CopyReference(
    catno="SLV-042",
    upc="012345678905",
    artist="Beyoncé",
    titles=TITLES,
    p_line="℗ 2024 Sleeve Records",
    c_line="© 2024 Sleeve Records",
)
GOOD = [
    "SLV-042",
    "BEYONCÉ",
    "1. Night Drive (Radio Edit)",
    "2. Don’t Look Back",
    "3. Café Society",
    "4. Dawn Chorus",
    "℗ 2024 Sleeve Records. © 2024 Sleeve Records.",
    "0 12345 67890 5",
]


def _checks(
    tmp_path: Path,
    lines: Sequence[str | TextBlock],
    reference: CopyReference = REFERENCE,
    **options: bool | float,
) -> dict[str, Check]:
    """The copy checks of a one-page proof of ``lines``, by name."""
    path = artwork.label_copy_pdf(tmp_path / "proof.pdf", pages=[lines], **options)  # type: ignore[arg-type]
    return {check.name: check for check in copy_check_pdf(path, reference)}


def _with(lines: list[str], old: str, new: str) -> list[str]:
    return [new if line == old else line for line in lines]


def _page_text(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        return str(document[0].get_textpage().get_text_range())
    finally:
        document.close()


# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beyoncé", "beyonce"),
        ("Sigur Rós — Ágætis byrjun", "sigur ros agaetis byrjun"),
        ("Røyksopp", "royksopp"),
        ("Don’t", "dont"),
        ("Don't", "dont"),
        ("“Quoted” ‘single’", "quoted single"),
        ("Rock & Roll", "rock and roll"),
        ("Hello, World!!!  (Live)", "hello world live"),
        ("SLV-042", "slv 042"),
        ("ﬁne ligature", "fine ligature"),
        ("ＦＵＬＬ width", "full width"),
        ("(P) 2024 ℗ Ⓟ (p)", "℗ 2024 ℗ ℗ ℗"),
        ("(C) © Ⓒ (c)", "© © © ©"),
        ("漢字abc", "漢 字 abc"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_matches_start_and_end_at_word_boundaries() -> None:
    page = PageText.of(1, "Heavenly\nN I G H T  D R I V E\nMid\ufffenight Train 12345")
    assert page.find(tokens("Heaven")) is None
    assert page.find(tokens("Heavenly")) == 0
    assert page.find(tokens("Night Drive")) == 1  # tracked lettering
    assert page.find(tokens("Midnight Train")) is not None  # PDFium's wrapped hyphen
    assert page.find(tokens("2345")) is None


# --- the copy check on generated PDFs --------------------------------------------------


def test_the_right_copy_passes_every_check(tmp_path: Path) -> None:
    checks = _checks(tmp_path, GOOD, image_ppi=72)
    assert {name: c.status for name, c in checks.items()} == {
        "catalog number": "pass",
        "UPC": "pass",
        "tracks": "pass",
        "(P) line": "pass",
        "(C) line": "pass",
        "artist": "pass",
    }
    assert checks["catalog number"].measured == "found on p. 1"
    assert checks["catalog number"].expected == "SLV-042"
    assert checks["tracks"].measured == "all 4 found"


def test_a_missing_track_fails_by_name(tmp_path: Path) -> None:
    checks = _checks(tmp_path, [line for line in GOOD if "Dawn" not in line])
    assert checks["tracks"].status == "fail"
    assert checks["tracks"].measured == "3 of 4 found; missing 'Dawn Chorus'"


def test_a_typo_is_named(tmp_path: Path) -> None:
    checks = _checks(tmp_path, _with(GOOD, "1. Night Drive (Radio Edit)", "1. Nite Drive"))
    assert checks["tracks"].status == "fail"
    assert checks["tracks"].measured == (
        "3 of 4 found; likely typo: 'Nite Drive' for 'Night Drive (Radio Edit)' (p. 1)"
    )


def test_another_title_printed_right_is_no_typo(tmp_path: Path) -> None:
    reference = dataclasses.replace(REFERENCE, titles=("Suite Part 1", "Suite Part 2"))
    checks = _checks(tmp_path, [*GOOD, "Suite Part 1"], reference=reference)
    assert checks["tracks"].measured == "1 of 2 found; missing 'Suite Part 2'"


def test_a_wrong_catalog_number_fails(tmp_path: Path) -> None:
    checks = _checks(tmp_path, _with(GOOD, "SLV-042", "SLV-043"))
    assert checks["catalog number"].status == "fail"
    assert (
        checks["catalog number"].measured == "missing; likely typo: 'SLV-043' for 'SLV-042' (p. 1)"
    )
    gone = _checks(tmp_path, _with(GOOD, "SLV-042", "Catalogue"))["catalog number"]
    assert (gone.status, gone.measured) == ("fail", "missing")


@pytest.mark.parametrize(
    "printed", ["2. Don't Look Back", "2. DON’T LOOK BACK", "2. “Dont Look Back”"]
)
def test_quotes_and_apostrophes_are_the_same(tmp_path: Path, printed: str) -> None:
    checks = _checks(tmp_path, _with(GOOD, "2. Don’t Look Back", printed))
    assert checks["tracks"].status == "pass"


def test_accents_and_case_are_the_same(tmp_path: Path) -> None:
    lines = _with(_with(GOOD, "BEYONCÉ", "beyonce"), "3. Café Society", "3. CAFE SOCIETY")
    checks = _checks(tmp_path, lines)
    assert (checks["artist"].status, checks["tracks"].status) == ("pass", "pass")


def test_a_title_without_its_version_is_enough(tmp_path: Path) -> None:
    checks = _checks(tmp_path, _with(GOOD, "1. Night Drive (Radio Edit)", "1. Night Drive"))
    assert checks["tracks"].status == "pass"


def test_a_title_without_its_dash_version_is_enough(tmp_path: Path) -> None:
    reference = dataclasses.replace(REFERENCE, titles=("Dawn Chorus - 2011 Remaster",))
    assert _checks(tmp_path, GOOD, reference)["tracks"].status == "pass"


def test_a_title_wrapped_onto_lines_is_found(tmp_path: Path) -> None:
    long = "Everything You Ever Wanted To Know About The Night"
    reference = dataclasses.replace(REFERENCE, titles=(*TITLES, long))
    lines = [*GOOD, TextBlock(f"5. {long}", width_mm=30)]
    path = artwork.label_copy_pdf(tmp_path / "wrapped.pdf", pages=[lines])
    assert _page_text(path).count("\r\n") >= len(GOOD) + 2  # it did wrap
    checks = {c.name: c for c in copy_check_pdf(path, reference)}
    assert checks["tracks"].status == "pass"


def test_a_title_hyphenated_at_a_line_end_is_found(tmp_path: Path) -> None:
    reference = dataclasses.replace(REFERENCE, titles=(*TITLES, "Midnight Train"))
    lines = [*GOOD, TextBlock("Mid\u00adnight Train", width_mm=20, size_pt=12)]
    path = artwork.label_copy_pdf(tmp_path / "hyphen.pdf", pages=[lines])
    assert "Mid\ufffenight" in _page_text(path)  # broken with a hyphen by the wrap
    checks = {c.name: c for c in copy_check_pdf(path, reference)}
    assert checks["tracks"].status == "pass"


@pytest.mark.parametrize(
    "printed",
    [
        "(P) 2024 Sleeve Records (C) 2024 Sleeve Records",
        "℗ 2024 Sleeve Records © 2024 Sleeve Records",
        "(p) 2024 SLEEVE RECORDS (c) 2024 SLEEVE RECORDS",
        "℗ & © 2024 Sleeve Records",
    ],
)
def test_p_and_c_line_symbols(tmp_path: Path, printed: str) -> None:
    lines = _with(GOOD, "℗ 2024 Sleeve Records. © 2024 Sleeve Records.", printed)
    checks = _checks(tmp_path, lines)
    assert (checks["(P) line"].status, checks["(C) line"].status) == ("pass", "pass")


def test_one_line_for_both_in_the_label_copy(tmp_path: Path) -> None:
    both = "(P) & (C) 2024 Sleeve Records"
    reference = dataclasses.replace(REFERENCE, p_line=both, c_line=both)
    checks = _checks(tmp_path, GOOD, reference)
    assert (checks["(P) line"].status, checks["(C) line"].status) == ("pass", "pass")


def test_a_p_line_with_the_wrong_year_fails_showing_what_is_printed(tmp_path: Path) -> None:
    lines = _with(GOOD, "℗ 2024 Sleeve Records. © 2024 Sleeve Records.", "℗ 2023 Sleeve Records")
    checks = _checks(tmp_path, [*lines, "Printed in the EU"])
    assert checks["(P) line"].status == "fail"
    assert checks["(P) line"].measured == "missing; the closest: '℗ 2023 Sleeve Records' (p. 1)"
    assert (checks["(C) line"].status, checks["(C) line"].measured) == ("fail", "missing")


@pytest.mark.parametrize("printed", ["0 12345 67890 5", "012345678905", "0 012345 678905"])
def test_upc_digits_grouped_or_not(tmp_path: Path, printed: str) -> None:
    checks = _checks(tmp_path, _with(GOOD, "0 12345 67890 5", printed))
    assert checks["UPC"].status == "pass"


def test_a_wrong_upc_fails(tmp_path: Path) -> None:
    checks = _checks(tmp_path, _with(GOOD, "0 12345 67890 5", "0 12345 67890 6"))
    assert checks["UPC"].status == "fail"
    assert checks["UPC"].measured == (
        "missing; likely typo: '012345678906' for '012345678905' (p. 1)"
    )


def test_core_fonts_without_a_ttf_still_pass(tmp_path: Path) -> None:
    checks = _checks(tmp_path, GOOD, embed_font=False)  # ℗ printed as "(P)", ’ as '
    assert all(c.status == "pass" for c in checks.values()), checks


def test_a_spine_set_bottom_to_top_is_read(tmp_path: Path) -> None:
    lines = [*_with(GOOD, "SLV-042", "Sleeve"), TextBlock("SLV-042", rotate=90, x_mm=110, y_mm=100)]
    assert _checks(tmp_path, lines)["catalog number"].status == "pass"


def test_outlined_text_warns(tmp_path: Path) -> None:
    path = artwork.label_copy_pdf(tmp_path / "outlined.pdf", pages=[GOOD], outlined=True)
    assert copy_check_pdf(path, REFERENCE) == (
        Check("copy", "warn", NO_LIVE_TEXT, "live text (not outlined)"),
    )


def test_an_unsafe_pdf_is_not_read(tmp_path: Path) -> None:
    path = artwork.flate_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=80)
    (check,) = copy_check_pdf(path, REFERENCE)
    assert (check.name, check.status) == ("copy", "warn")
    assert check.measured.startswith("not read: a stream in it inflates to over 64 MB")


def test_measured_is_short_with_many_missing(tmp_path: Path) -> None:
    titles = tuple(f"A Rather Long Song Title Number {n} Of Many" for n in range(40))
    reference = dataclasses.replace(REFERENCE, titles=titles)
    tracks = _checks(tmp_path, GOOD, reference=reference)["tracks"]
    assert tracks.status == "fail" and len(tracks.measured) < 400
    assert tracks.measured.startswith("0 of 40 found; missing ")
    assert tracks.measured.endswith("and 37 more")


def test_text_past_the_budget_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copycheck, "MAX_TEXT_CHARS", 40)
    path = artwork.label_copy_pdf(tmp_path / "long.pdf", pages=[["SLV-042 " * 10], GOOD])
    checks = {c.name: c for c in copy_check_pdf(path, REFERENCE)}
    assert checks["catalog number"].status == "pass"
    assert checks["artist"].status == "warn"
    assert checks["artist"].measured == "missing (text read to p. 1 only: over 40 characters)"


# --- joined to the preflight -----------------------------------------------------------


def test_preflight_with_copy_adds_the_copy_checks(tmp_path: Path) -> None:
    lines = [TextBlock(line, size_pt=4) for line in GOOD]
    path = artwork.label_copy_pdf(
        tmp_path / "booklet.pdf", pages=[lines] * 4, trim_mm=SMALL_TRIM, image_ppi=300
    )
    plain = preflight_file(path, "booklet.pdf", SMALL_BOOKLET)
    found = preflight_with_copy(path, "booklet.pdf", SMALL_BOOKLET, REFERENCE)
    assert found.checks[: len(plain.checks)] == plain.checks
    added = {c.name: c.status for c in found.checks[len(plain.checks) :]}
    assert set(added.values()) == {"pass"} and len(added) == 6
    assert found.status == plain.status == "pass"
    assert preflight_with_copy(path, "booklet.pdf", SMALL_BOOKLET, None) == plain


def test_preflight_with_copy_without_a_spec_notes_it(tmp_path: Path) -> None:
    path = artwork.label_copy_pdf(tmp_path / "proof.pdf", pages=[GOOD])
    found = preflight_with_copy(path, "proof.pdf", None, REFERENCE)
    assert not found.checked and found.checks == ()
    assert found.notes[-1] == "copy not checked: the file has no print spec"


def test_preflight_with_copy_of_a_raster_warns(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "back.tif", (425, 425), mode="CMYK", flat=(0, 0, 0, 0))
    found = preflight_with_copy(path, "back.tif", spec("back_cover", "cd"), REFERENCE)
    assert found.checks[-1] == copy_check_raster()
    assert copy_check_raster() == Check("copy", "warn", NEEDS_PDF, "a PDF with live text")
    assert found.status in ("warn", "fail")


def test_preflight_with_copy_of_a_refused_file_adds_nothing(tmp_path: Path) -> None:
    path = artwork.flate_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=80)
    found = preflight_with_copy(path, "bomb.pdf", SMALL_BOOKLET, REFERENCE)
    assert not found.checked and found.checks == ()
