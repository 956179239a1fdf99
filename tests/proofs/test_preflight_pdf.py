"""Preflight of PDFs: every check passing and failing on generated files."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from PIL import Image, ImageCms

from bot.devtools import artwork
from bot.proofs.preflight import NO_SPEC, preflight_file
from tests.proofs.preflight_support import (
    SMALL_BOOKLET,
    SMALL_PRINT,
    SMALL_TRIM,
    check,
    preview,
    spec,
    statuses,
)


def _pdf(tmp_path: Path, name: str = "art.pdf", **options: object) -> Path:
    options.setdefault("trim_mm", SMALL_TRIM)
    return artwork.print_pdf(tmp_path / name, **options)  # type: ignore[arg-type]


def test_a_good_booklet_passes_every_check(tmp_path: Path) -> None:
    path = artwork.booklet_pdf(tmp_path / "booklet.pdf", pages=4, trim_mm=SMALL_TRIM)
    found = preflight_file(path, "booklet.pdf", SMALL_BOOKLET)
    assert found.checked and found.reason is None
    assert (found.status, found.file_kind, found.pages, found.spec) == ("pass", "pdf", 4, "booklet")
    assert statuses(found) == {
        "trim": "pass",
        "bleed": "pass",
        "resolution": "pass",
        "colour": "pass",
        "fonts": "pass",
        "pages": "pass",
    }
    assert check(found, "trim")[1] == "30 × 30 mm (36 × 36 mm page less bleed) — all 4 pages"
    assert check(found, "bleed")[1:] == ("3 mm — all 4 pages", "3 mm")
    assert check(found, "resolution")[1] == "lowest 300 ppi, 4 images"
    assert (found.problems, found.warnings) == (0, 0)


def test_trim_and_bleed_boxes_are_read(tmp_path: Path) -> None:
    path = _pdf(tmp_path, trim_box=True)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert found.status == "pass"
    assert check(found, "trim")[1] == "30 × 30 mm (TrimBox)"
    assert check(found, "bleed")[:2] == ("pass", "3 mm")


def test_a_wrong_trim_fails_with_measured_and_expected(tmp_path: Path) -> None:
    path = _pdf(tmp_path, page_mm=(44, 40))
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert found.status == "fail" and found.problems == 1
    assert check(found, "trim") == (
        "fail",
        "44 × 40 mm page",
        "30 × 30 mm ± 1 mm; 36 × 36 mm with bleed",
    )
    assert "bleed" not in statuses(found)  # where the trim is, is unknown


def test_trim_within_a_millimetre_passes(tmp_path: Path) -> None:
    path = _pdf(tmp_path, page_mm=(36.8, 35.4), image_ppi=None)
    assert check(preflight_file(path, "art.pdf", SMALL_PRINT), "trim")[0] == "pass"


def test_a_page_at_the_trim_size_has_no_bleed(tmp_path: Path) -> None:
    path = _pdf(tmp_path, bleed_mm=0)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert check(found, "trim")[0] == "pass"
    assert check(found, "bleed") == ("fail", "none", "3 mm")


def test_short_bleed_warns(tmp_path: Path) -> None:
    path = _pdf(tmp_path, bleed_mm=1.5)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert found.status == "warn" and found.warnings == 1
    assert check(found, "bleed") == ("warn", "1.5 mm", "3 mm")


@pytest.mark.parametrize(("image_ppi", "status"), [(150, "fail"), (250, "warn"), (300, "pass")])
def test_placed_image_resolution(tmp_path: Path, image_ppi: int, status: str) -> None:
    path = _pdf(tmp_path, image_ppi=image_ppi)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert check(found, "resolution")[0] == status
    assert check(found, "resolution")[1].startswith(f"{image_ppi} ppi")
    assert check(found, "resolution")[2] == "≥ 300 ppi (under 200 fails)"


def test_the_first_low_resolution_page_is_named(tmp_path: Path) -> None:
    path = _pdf(tmp_path, pages=2, image_ppi=100)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert check(found, "resolution")[1] == "100 ppi (p. 1; 2 images under 300 ppi)"


def test_rgb_images_fail_in_print_and_pass_where_rgb_is_fine(tmp_path: Path) -> None:
    path = _pdf(tmp_path, cmyk=False)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert check(found, "colour") == ("fail", "RGB (p. 1)", "CMYK (greyscale and spot colours too)")
    anything = dataclasses.replace(SMALL_PRINT, colour="any")
    assert check(preflight_file(path, "art.pdf", anything), "colour")[0] == "pass"


def test_fonts_not_embedded_fail(tmp_path: Path) -> None:
    path = _pdf(tmp_path, fonts="core", image_ppi=None)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert check(found, "fonts") == (
        "fail",
        "Helvetica not embedded (p. 1)",
        "every font embedded (or text outlined)",
    )


@pytest.mark.skipif(artwork.embeddable_font() is None, reason="no TrueType font to embed")
def test_embedded_fonts_pass(tmp_path: Path) -> None:
    path = _pdf(tmp_path, fonts="embedded", image_ppi=None)
    assert check(preflight_file(path, "art.pdf", SMALL_PRINT), "fonts")[:2] == (
        "pass",
        "1 font embedded",
    )


def test_text_free_pdf_passes_fonts(tmp_path: Path) -> None:
    path = _pdf(tmp_path, fonts="none", image_ppi=None)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert check(found, "fonts")[:2] == ("pass", "no fonts (no text, or text outlined)")
    assert check(found, "colour")[0] == "pass"  # no images: vector colour isn't judged


def test_a_booklet_of_10_pages_fails(tmp_path: Path) -> None:
    path = _pdf(tmp_path, pages=10, image_ppi=None, fonts="none")
    found = preflight_file(path, "booklet.pdf", SMALL_BOOKLET)
    assert found.pages == 10
    assert check(found, "pages") == ("fail", "10 pages", "a multiple of 4 pages")


def test_a_store_cover_must_not_be_a_pdf(tmp_path: Path) -> None:
    path = _pdf(tmp_path, image_ppi=None, fonts="none")
    found = preflight_file(path, "cover.pdf", spec("cover", "digital"))
    assert check(found, "file type") == ("fail", "PDF", "JPEG or PNG")
    assert check(found, "size")[0] == "fail"


def test_a_tshirt_pdf_must_fit_the_print_area(tmp_path: Path) -> None:
    tshirt = spec("tshirt", "merch")
    small = _pdf(tmp_path, "small.pdf", page_mm=(250, 300), image_ppi=None, fonts="none")
    assert check(preflight_file(small, "t.pdf", tshirt), "size")[0] == "pass"
    big = _pdf(tmp_path, "big.pdf", page_mm=(320, 420), image_ppi=None, fonts="none")
    assert check(preflight_file(big, "t.pdf", tshirt), "size") == (
        "fail",
        "320 × 420 mm",
        "within 304.8 × 406.4 mm",
    )


def test_no_spec_reads_the_file_and_says_so(tmp_path: Path) -> None:
    path = _pdf(tmp_path, pages=2, image_ppi=None)
    found = preflight_file(path, "shell.pdf", None)
    assert (found.checked, found.status, found.reason) == (False, "not checked", NO_SPEC)
    assert found.pages == 2 and found.checks == ()
    assert "2 pages of 36 × 36 mm" in found.notes[-1]
    assert found.preview_png is not None


def test_a_spec_without_a_size_skips_trim_and_says_so(tmp_path: Path) -> None:
    path = _pdf(tmp_path, image_ppi=None, fonts="none")
    found = preflight_file(path, "obi.pdf", spec("obi", "cd"))
    assert found.checked and "trim" not in statuses(found)
    assert any("size not checked" in note for note in found.notes)


def test_the_preview_shows_the_page_with_trim_and_bleed(tmp_path: Path) -> None:
    path = _pdf(tmp_path, image_ppi=None, fonts="none")  # a white page
    image = preview(preflight_file(path, "art.pdf", SMALL_PRINT))
    assert max(image.size) <= 1200
    side = image.width
    trim_at = round(3 / 36 * side)  # 3 mm of bleed on a 36 mm page
    centre = image.getpixel((side // 2, side // 2))
    assert centre == (255, 255, 255)
    assert image.getpixel((trim_at, side // 2)) != centre  # the trim line
    assert image.getpixel((trim_at // 2, side // 2)) != centre  # the shaded bleed


def test_an_rgb_image_with_an_icc_profile_is_rgb(tmp_path: Path) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture = io.BytesIO()
    Image.new("RGB", (425, 425), (200, 10, 10)).save(picture, "JPEG", icc_profile=profile)
    pdf = FPDF(unit="mm", format=(36, 36))
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=36, h=36)
    pdf.output(str(tmp_path / "icc.pdf"))
    found = preflight_file(tmp_path / "icc.pdf", "icc.pdf", SMALL_PRINT)
    assert check(found, "colour")[:2] == ("fail", "RGB (p. 1)")


def test_a_turned_page_is_judged_as_it_is_shown(tmp_path: Path) -> None:
    tray = dataclasses.replace(SMALL_PRINT, trim_mm=(40.0, 30.0))
    path = _pdf(tmp_path, page_mm=(36, 46), image_ppi=None, fonts="none")  # portrait
    assert check(preflight_file(path, "tray.pdf", tray), "trim")[0] == "fail"
    turned = pdfium.PdfDocument(path.read_bytes())
    turned[0].set_rotation(90)
    turned.save(str(tmp_path / "turned.pdf"))
    turned.close()
    found = preflight_file(tmp_path / "turned.pdf", "tray.pdf", tray)
    assert statuses(found)["trim"] == "pass" and statuses(found)["bleed"] == "pass"
    assert found.preview_png is not None
