"""Preflight of rasters: TIFF, PNG, JPEG and PSD against print, store and social specs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.devtools import artwork
from bot.proofs.preflight import preflight_file
from bot.proofs.preflight.preview import TRIM_LINE
from tests.proofs.preflight_support import (
    SMALL_BOOKLET,
    SMALL_PRINT,
    SMALL_PX,
    TRIM_PX,
    check,
    preview,
    spec,
    statuses,
)

CYAN_CMYK = (255, 0, 0, 0)


def test_a_cmyk_tiff_at_300_dpi_with_bleed_passes(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, SMALL_PX), dpi=300)
    found = preflight_file(path, "art.tif", SMALL_PRINT)
    assert (found.status, found.file_kind, found.pages) == ("pass", "tiff", 1)
    assert statuses(found) == {
        "trim": "pass",
        "bleed": "pass",
        "resolution": "pass",
        "colour": "pass",
    }
    assert check(found, "trim")[1] == "30 × 30 mm (36 × 36 mm image at 300 dpi less bleed)"
    assert check(found, "resolution")[1] == "300 ppi (at 36 × 36 mm)"


def test_a_raster_at_the_trim_size_by_its_dpi_has_no_bleed(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (TRIM_PX, TRIM_PX), dpi=300)
    found = preflight_file(path, "art.tif", SMALL_PRINT)
    assert check(found, "bleed") == ("fail", "none", "3 mm")
    assert check(found, "resolution")[0] == "pass"  # placed at its own 30 mm


def test_without_a_dpi_the_raster_is_the_whole_artwork(tmp_path: Path) -> None:
    path = artwork.raster(
        tmp_path / "art.png", (SMALL_PX, SMALL_PX), mode="CMYK", fmt="TIFF", dpi=None
    )
    found = preflight_file(path, "art.tif", SMALL_PRINT)
    assert check(found, "trim")[:2] == ("pass", f"{SMALL_PX} × {SMALL_PX} px (1.00:1)")
    assert "bleed" not in statuses(found)
    assert check(found, "resolution")[1] == "300 ppi (at 36 × 36 mm)"


def test_a_dpi_tag_that_fits_nothing_is_shown_not_believed(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, SMALL_PX), dpi=72)
    found = preflight_file(path, "art.tif", SMALL_PRINT)
    assert check(found, "trim")[0] == "pass"
    assert "72 dpi makes it 149.9 × 149.9 mm" in check(found, "trim")[1]


def test_a_raster_of_the_wrong_shape_fails_trim(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, 300), dpi=None)
    found = preflight_file(path, "art.tif", SMALL_PRINT)
    assert check(found, "trim") == (
        "fail",
        f"{SMALL_PX} × 300 px (1.42:1)",
        "the shape of 36 × 36 mm, trim + bleed (1.00:1)",
    )


@pytest.mark.parametrize(("side", "status", "shown"), [(200, "fail", 141), (300, "warn", 212)])
def test_raster_resolution_at_the_placed_size(
    tmp_path: Path, side: int, status: str, shown: int
) -> None:
    path = artwork.raster(tmp_path / "art.tif", (side, side), dpi=None)
    found = preflight_file(path, "art.tif", SMALL_PRINT)
    assert check(found, "resolution")[:2] == (status, f"{shown} ppi (at 36 × 36 mm)")


def test_rgb_fails_in_print(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.png", (SMALL_PX, SMALL_PX), mode="RGB", fmt="PNG")
    found = preflight_file(path, "art.png", SMALL_PRINT)
    assert found.file_kind == "png"
    assert check(found, "colour") == ("fail", "RGB", "CMYK (greyscale and spot colours too)")


def test_greyscale_passes_in_print(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, SMALL_PX), mode="L")
    assert check(preflight_file(path, "art.tif", SMALL_PRINT), "colour")[:2] == (
        "pass",
        "greyscale",
    )


def test_a_booklet_as_one_image_fails_pages(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, SMALL_PX))
    assert check(preflight_file(path, "art.tif", SMALL_BOOKLET), "pages")[:2] == ("fail", "1 page")


def test_a_psd_composite_is_read(tmp_path: Path) -> None:
    path = artwork.psd(tmp_path / "art.psd", (SMALL_PX, SMALL_PX), mode="CMYK")
    found = preflight_file(path, "art.psd", SMALL_PRINT)
    assert (found.file_kind, found.status) == ("psd", "pass")
    assert check(found, "colour")[1] == "CMYK"


# --- store and social --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_store_cover_passes(tmp_path: Path, fmt: str) -> None:
    path = artwork.raster(tmp_path / "cover", (3000, 3000), mode="RGB", fmt=fmt, flat=(200, 20, 60))
    found = preflight_file(path, f"cover.{fmt.lower()}", spec("cover", "digital"))
    assert found.status == "pass", found
    assert statuses(found) == {"file type": "pass", "size": "pass", "colour": "pass"}


@pytest.mark.parametrize(
    ("size", "measured"), [((2000, 2000), "2000 × 2000 px"), ((3000, 3200), "3000 × 3200 px")]
)
def test_a_store_cover_too_small_or_not_square_fails(
    tmp_path: Path, size: tuple[int, int], measured: str
) -> None:
    path = artwork.raster(tmp_path / "cover.jpg", size, mode="RGB", fmt="JPEG", flat=(9, 9, 9))
    found = preflight_file(path, "cover.jpg", spec("cover", "digital"))
    assert check(found, "size") == ("fail", measured, "square, at least 3000 × 3000 px")


def test_a_store_cover_must_be_rgb_jpeg_or_png(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "cover.tif", (3000, 3000), flat=CYAN_CMYK)
    found = preflight_file(path, "cover.tif", spec("cover", "digital"))
    assert check(found, "file type") == ("fail", "TIFF", "JPEG or PNG")
    assert check(found, "colour") == ("fail", "CMYK", "RGB")


@pytest.mark.parametrize(
    ("size", "status"), [((1080, 1080), "pass"), ((1080, 1920), "pass"), ((1000, 1000), "fail")]
)
def test_social_posts_are_square_or_story_sized(
    tmp_path: Path, size: tuple[int, int], status: str
) -> None:
    path = artwork.raster(tmp_path / "post.png", size, mode="RGB", fmt="PNG", flat=(1, 2, 3))
    found = preflight_file(path, "post.png", spec("social", "digital"))
    assert check(found, "size")[0] == status
    assert check(found, "colour")[0] == "pass"


def test_a_tshirt_wants_a_transparent_background(tmp_path: Path) -> None:
    tshirt = spec("tshirt", "merch")
    clear = artwork.raster(
        tmp_path / "t.png", (1200, 1600), mode="RGBA", fmt="PNG", flat=(0, 0, 0, 0), dpi=100
    )
    found = preflight_file(clear, "t.png", tshirt)
    assert check(found, "background")[0] == "pass"
    assert check(found, "size")[1] == "304.8 × 406.4 mm at its 100 dpi"
    assert check(found, "resolution")[:2] == ("fail", "100 ppi (at 304.8 × 406.4 mm)")
    opaque = artwork.raster(tmp_path / "o.png", (1200, 1600), mode="RGB", fmt="PNG", flat=(0, 0, 0))
    found = preflight_file(opaque, "o.png", tshirt)
    assert check(found, "background") == ("warn", "opaque (no transparency)", "transparent")
    assert check(found, "colour")[0] == "pass"  # spot colours: no CMYK rule


def test_a_chest_logo_is_printed_at_its_dpi_size(tmp_path: Path) -> None:
    path = artwork.raster(
        tmp_path / "t.png", (1200, 1200), mode="RGBA", fmt="PNG", flat=(0, 0, 0, 0)
    )
    found = preflight_file(path, "t.png", spec("tshirt", "merch"))
    assert check(found, "resolution")[:2] == ("pass", "300 ppi (at 101.6 × 101.6 mm)")


def test_a_file_named_as_another_type_is_read_by_its_content(tmp_path: Path) -> None:
    path = artwork.raster(
        tmp_path / "post.jpg", (1080, 1080), mode="RGB", fmt="PNG", flat=(1, 2, 3)
    )
    found = preflight_file(path, "post.jpg", spec("social", "digital"))
    assert found.file_kind == "png" and found.status == "pass"
    assert found.notes == ("the file is a PNG though its name ends in .jpg",)


# --- the preview ---------------------------------------------------------------------------


def test_the_preview_is_a_bounded_png_with_the_trim_drawn(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (2400, 2400), flat=(0, 0, 0, 0), dpi=None)
    image = preview(preflight_file(path, "art.tif", SMALL_PRINT))
    assert image.size == (1200, 1200)
    trim_at = round(3 / 36 * 1200)
    centre = image.getpixel((600, 600))
    assert centre == (255, 255, 255)  # CMYK 0 0 0 0 is paper white
    assert image.getpixel((trim_at, 600)) == TRIM_LINE
    assert image.getpixel((trim_at // 2, 600)) not in (centre, TRIM_LINE)  # shaded bleed


def test_a_jpeg_preview_is_decoded_scaled_down(tmp_path: Path) -> None:
    path = artwork.raster(
        tmp_path / "big.jpg", (4000, 2000), mode="RGB", fmt="JPEG", flat=(10, 200, 10)
    )
    found = preflight_file(path, "big.jpg", spec("social", "digital"))
    image = preview(found)
    assert max(image.size) <= 1200 and image.width == 2 * image.height


def test_a_raster_too_big_to_decode_is_checked_without_a_preview(tmp_path: Path) -> None:
    from bot.proofs.preflight import Limits

    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, SMALL_PX), dpi=300)
    found = preflight_file(path, "art.tif", SMALL_PRINT, limits=Limits(max_decode_pixels=10_000))
    assert found.status == "pass" and found.preview_png is None
    assert found.notes == ("no preview: the image is too large to decode whole",)


def test_the_placed_size_of_a_raster_is_the_specs_whatever_its_dpi(tmp_path: Path) -> None:
    jacket = spec("jacket", "vinyl")
    path = artwork.raster(tmp_path / "j.tif", (2250, 2250), flat=CYAN_CMYK, dpi=None)
    found = preflight_file(path, "j.tif", jacket)
    assert check(found, "resolution")[:2] == ("fail", "178 ppi (at 320.7 × 320.7 mm)")
    seven = dataclasses.replace(jacket, trim_mm=spec("jacket", "vinyl7").trim_mm)
    assert check(preflight_file(path, "j.tif", seven), "resolution")[0] == "pass"
