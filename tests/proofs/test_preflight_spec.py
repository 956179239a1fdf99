"""Print specs: the shipped numbers, the lookup by kind and formats, and override files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.catalog import KINDS
from bot.proofs.preflight import PrintSpecError, load_print_specs
from bot.proofs.preflight.checks import ppi
from bot.proofs.preflight.findings import MM_PER_IN
from tests.proofs.preflight_support import SPECS, spec

FORMATS = ["cd", "digipak", "vinyl", "vinyl7", "cassette", "digital", "merch"]
PRINT_FORMATS = [f for f in FORMATS if f != "digital"]


def test_every_entry_names_a_known_kind() -> None:
    specs = load_print_specs()
    for key in specs.specs:
        assert key.rsplit(".", 1)[-1] in KINDS, key
    assert specs.digital_formats == {"digital"}


def test_the_shipped_sizes_are_the_plants_numbers() -> None:
    assert spec("booklet", "cd").trim_mm == (120, 120)
    assert spec("booklet", "cd").pages_multiple_of == 4
    assert spec("booklet", "cd").bleed_mm == 3
    assert spec("tray_card", "cd").trim_mm == (150, 117.5)
    assert spec("jacket", "vinyl").trim_mm == pytest.approx((12.375 * MM_PER_IN,) * 2)
    assert spec("jacket", "vinyl").bleed_mm == pytest.approx(MM_PER_IN / 8)
    assert spec("inner_sleeve", "vinyl").trim_mm == pytest.approx((12.125 * MM_PER_IN,) * 2)
    assert spec("vinyl_label", "vinyl").trim_mm == pytest.approx((4 * MM_PER_IN,) * 2)
    assert spec("poster", "merch").trim_mm == (420, 594)
    assert spec("promo", "merch").trim_mm == (297, 420)
    tshirt = spec("tshirt", "merch")
    assert tshirt.max_mm == pytest.approx((12 * MM_PER_IN, 16 * MM_PER_IN))
    assert (tshirt.colour, tshirt.transparent, tshirt.min_ppi) == ("any", True, 300)
    social = spec("social", "digital")
    assert social.sizes_px == ((1080, 1080), (1080, 1920))
    assert social.colour == "rgb"


def test_a_7_inch_single_gets_its_own_sleeve_and_label() -> None:
    specs = SPECS
    jacket = specs.for_asset("jacket", ("vinyl7",))
    label = specs.for_asset("vinyl_label", ("vinyl7",))
    assert jacket is not None and jacket.key == "vinyl7.jacket"
    assert jacket.trim_mm == pytest.approx((7.25 * MM_PER_IN,) * 2)
    assert label is not None and label.trim_mm == pytest.approx((3.625 * MM_PER_IN,) * 2)
    # A format without an entry of its own gets the kind's default.
    booklet = specs.for_asset("booklet", ("digipak",))
    assert booklet is not None and booklet.key == "booklet"


def test_the_cover_of_a_digital_only_release_is_the_store_spec() -> None:
    specs = SPECS
    store = specs.for_asset("cover", ("digital",))
    assert store is not None and store.key == "digital.cover"
    assert (store.min_px, store.square, store.colour) == (3000, True, "rgb")
    assert store.file_types == ("jpeg", "png")


@pytest.mark.parametrize(
    "formats", [("cd", "vinyl"), ("vinyl", "cd"), ("cd", "digital"), ("digital", "merch")]
)
def test_a_cover_with_any_print_format_is_print_art(formats: tuple[str, ...]) -> None:
    cover = SPECS.for_asset("cover", formats)
    assert cover is not None
    assert cover.colour == "cmyk" and cover.trim_mm is not None and cover.bleed_mm > 0


def test_other_has_no_spec() -> None:
    specs = SPECS
    assert specs.for_asset("other", ("cassette",)) is None
    assert specs.for_asset("other", ()) is None


@given(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=5))
def test_a_cover_is_the_store_spec_exactly_when_every_format_is_digital(
    formats: list[str],
) -> None:
    cover = SPECS.for_asset("cover", tuple(formats))
    assert cover is not None
    assert (cover.key == "digital.cover") == all(f == "digital" for f in formats)


@given(st.sampled_from(sorted(KINDS)), st.sampled_from(PRINT_FORMATS))
def test_a_format_specific_entry_wins_over_the_default(kind: str, fmt: str) -> None:
    found = SPECS.for_asset(kind, (fmt,))
    own = f"{fmt}.{kind}"
    assert found == SPECS.specs.get(own, SPECS.specs.get(kind))


@given(
    st.integers(min_value=50, max_value=40_000),
    st.floats(min_value=10, max_value=1000),
    st.floats(min_value=0.5, max_value=4),
)
def test_effective_resolution_is_pixels_over_inches(px: int, width_mm: float, shape: float) -> None:
    placed = (width_mm, width_mm * shape)
    found = ppi((px, round(px * shape) or 1), placed)
    assert found == pytest.approx(px / (width_mm / MM_PER_IN), rel=0.02, abs=0.5)


# --- override files --------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_file_replaces_the_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "specs:\n"
        "  booklet: {label: Plant booklet, trim_mm: [121, 121], bleed_mm: 2,"
        " colour: cmyk, pages_multiple_of: 8}\n",
    )
    specs = load_print_specs(path)
    booklet = specs.for_asset("booklet", ("cd",))
    assert booklet is not None
    assert (booklet.label, booklet.trim_mm, booklet.bleed_mm) == ("Plant booklet", (121, 121), 2)
    assert booklet.pages_multiple_of == 8
    assert specs.for_asset("jacket", ("vinyl",)) is None  # replaced, not merged
    assert specs.digital_formats == frozenset()


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        (
            "specs:\n  vinyl7.jacket: {label: x, trim_mm: [184, -1], colour: cmyk}\n",
            "specs.vinyl7.jacket.trim_mm[1]",
            "greater than 0",
        ),
        (
            "specs:\n  vinyl7.jackets: {label: x, trim_mm: [184, 184], colour: cmyk}\n",
            "specs.vinyl7.jackets",
            "unknown kind 'jackets'",
        ),
        (
            "specs:\n  cover: {label: x, trim_mm: [120, 120], min_px: 3000, colour: rgb}\n",
            "specs.cover",
            "give one of",
        ),
        (
            "specs:\n  poster: {label: x, colour: cmyk, bleed_mm: 3}\n",
            "specs.poster.bleed_mm",
            "bleed",
        ),
        ("specs:\n  poster: {label: x, colour: purple}\n", "specs.poster.colour", "'cmyk'"),
        (
            "specs:\n  poster: {label: x, colour: cmyk, dpi: 300}\n",
            "specs.poster.dpi",
            "unknown field",
        ),
        (
            "specs:\n  poster: {label: x, colour: cmyk}\n  poster: {label: y, colour: cmyk}\n",
            "line 3",
            "given twice",
        ),
        ("formats: {}\n", "formats", "unknown field"),
        ("- just a list\n", "a mapping", "`specs:`"),
    ],
)
def test_a_broken_override_names_the_file_and_the_entry(
    tmp_path: Path, text: str, where: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PrintSpecError) as raised:
        load_print_specs(path)
    message = str(raised.value)
    assert message.startswith(str(path)), message
    assert where in message and problem in message, message


def test_a_missing_override_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PrintSpecError, match="not found"):
        load_print_specs(tmp_path / "nowhere.yaml")
