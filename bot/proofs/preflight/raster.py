"""Raster files (TIFF, PNG, JPEG, PSD composite): header facts, the size checks, and the
picture for the preview, decoded small.

A raster is the whole artwork, trim + bleed: its placed size is the spec's, so its
effective resolution is its pixels over that size. A DPI tag that makes it exactly the
spec's size (with or without bleed) is believed, which is how a missing bleed shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import (  # registered here: Pillow loads only a few plugins up front
    Image,
    JpegImagePlugin,  # noqa: F401
    PngImagePlugin,  # noqa: F401
    PsdImagePlugin,  # noqa: F401
    TiffImagePlugin,  # noqa: F401
)

from bot.proofs.preflight.checks import Resolution, ppi, resolution_check
from bot.proofs.preflight.findings import MM_PER_IN, Check, Limits, size_mm
from bot.proofs.preflight.geometry import Box, fits, judge_page, size_checks
from bot.proofs.preflight.spec import PrintSpec

PILLOW_FORMATS = {"tiff": "TIFF", "png": "PNG", "jpeg": "JPEG", "psd": "PSD"}
_ALPHA_MODES = {"RGBA", "RGBa", "LA", "La", "PA"}
_COLOURS = {"CMYK": "cmyk", "LAB": "lab", "1": "gray", "L": "gray", "LA": "gray", "La": "gray"}
_ASPECT_TOLERANCE_MM = 1.0


class RasterError(Exception):
    """The image can't be read; the message says why, for the thread."""


@dataclass(frozen=True)
class RasterFacts:
    size_px: tuple[int, int]
    mode: str
    colour: str  # rgb, cmyk, gray, lab
    dpi: float | None
    has_alpha: bool


@dataclass(frozen=True)
class Placement:
    """Where the raster's checks put it: checks, placed size, trim as fractions."""

    checks: list[Check]
    placed_mm: tuple[float, float] | None
    trim: tuple[float, float, float, float] | None  # left, top, right, bottom in 0..1


def open_raster(path: str, kind: str, limits: Limits) -> tuple[Image.Image, RasterFacts]:
    """The image, opened lazily (no pixels decoded), and its facts; RasterError if not."""
    try:
        image = Image.open(path, formats=[PILLOW_FORMATS[kind]])  # JPEG's opens MPO too
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found.group(1)) if found else 0
        raise RasterError(_too_big(pixels, limits)) from None
    except Image.UnidentifiedImageError:
        raise RasterError(f"it starts like a {kind.upper()} but can't be read as one") from None
    except Exception as exc:  # any plugin error: damaged, truncated, not what it says
        raise RasterError(f"the image can't be read ({exc})") from None
    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise RasterError("the image declares no pixels")
    if width * height > limits.max_raster_pixels:
        image.close()
        raise RasterError(_too_big(width * height, limits))
    found_dpi = _dpi(image.info.get("dpi"))
    alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    colour = _COLOURS.get(image.mode, "gray" if image.mode.startswith(("I", "F")) else "rgb")
    return image, RasterFacts((width, height), image.mode, colour, found_dpi, alpha)


def _dpi(value: object) -> float | None:
    """The lower of a DPI tag's two values (TIFF gives rationals); None if absent or absurd."""
    try:
        lowest = min(float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    # PNG stores pixels per metre: 300 dpi comes back as 299.9994.
    return round(lowest, 1) if 10 <= lowest <= 10_000 else None


def _too_big(pixels: int, limits: Limits) -> str:
    return (
        f"the image declares {pixels / 1e6:,.0f} MP; Sleeve checks images up to "
        f"{limits.max_raster_pixels / 1e6:,.0f} MP"
    )


def _at_dpi(facts: RasterFacts, spec: PrintSpec) -> Placement | None:
    """Trim and bleed from the DPI tag, when it makes the image the spec's size."""
    if facts.dpi is None:
        return None
    w_mm, h_mm = (px / facts.dpi * MM_PER_IN for px in facts.size_px)
    whole = Box.sized_mm(w_mm, h_mm)
    size = judge_page(whole, None, None, spec, noun=f"image at {facts.dpi:g} dpi")
    if size.trim != "pass" or size.trim_box is None:
        return None
    return Placement(size_checks([size], spec), (w_mm, h_mm), size.trim_box.within(whole))


def _by_shape(facts: RasterFacts, spec: PrintSpec) -> Placement:
    """No believable DPI: the image is trim + bleed if it has that shape."""
    assert spec.trim_mm is not None
    bleed = spec.bleed_mm
    art = (spec.trim_mm[0] + 2 * bleed, spec.trim_mm[1] + 2 * bleed)
    (pw, ph), (aw, ah) = facts.size_px, art
    off_mm = abs(pw / ph * ah - aw)  # its width at the spec's height, against the spec's
    shown = f"{pw} × {ph} px ({pw / ph:.2f}:1)"
    if facts.dpi:  # a tag that doesn't fit the spec: shown, not believed
        at = size_mm(pw / facts.dpi * MM_PER_IN, ph / facts.dpi * MM_PER_IN)
        shown += f"; {facts.dpi:g} dpi makes it {at}"
    expected = f"the shape of {size_mm(*art)}, trim + bleed ({aw / ah:.2f}:1)"
    status = "pass" if off_mm <= _ASPECT_TOLERANCE_MM else "fail"
    trim = (bleed / aw, bleed / ah, 1 - bleed / aw, 1 - bleed / ah)
    return Placement([Check("trim", status, shown, expected)], art, trim)


def _in_area(facts: RasterFacts, spec: PrintSpec) -> Placement:
    """A print area (T-shirts): printed at its DPI size if that fits, else fitted to it."""
    assert spec.max_mm is not None
    pw, ph = facts.size_px
    if facts.dpi and fits(pw / facts.dpi * MM_PER_IN, ph / facts.dpi * MM_PER_IN, spec.max_mm):
        placed = (pw / facts.dpi * MM_PER_IN, ph / facts.dpi * MM_PER_IN)
        how = f"at its {facts.dpi:g} dpi"
    else:
        scale = min(spec.max_mm[0] / pw, spec.max_mm[1] / ph)
        placed = (pw * scale, ph * scale)
        how = "fitted to the print area"
    check = Check("size", "pass", f"{size_mm(*placed)} {how}", f"within {size_mm(*spec.max_mm)}")
    return Placement([check], placed, None)


def place(facts: RasterFacts, spec: PrintSpec) -> Placement:
    """The size checks and the resolution at the placed size, for a spec in mm."""
    if spec.trim_mm is not None:
        placement = _at_dpi(facts, spec) or _by_shape(facts, spec)
    elif spec.max_mm is not None:
        placement = _in_area(facts, spec)
    else:
        return Placement([], None, None)
    assert placement.placed_mm is not None
    found = ppi(facts.size_px, placement.placed_mm)
    where = f"at {size_mm(*placement.placed_mm)}"
    checks = [*placement.checks, resolution_check([Resolution(found, where)], spec)]
    return Placement(checks, placement.placed_mm, placement.trim)


def decode_small(image: Image.Image, kind: str, limits: Limits) -> Image.Image | None:
    """The picture, at most ``preview_px`` a side, RGB; None when too big to decode.
    RasterError when its data is damaged or cut short."""
    side = limits.preview_px
    width, height = image.size
    if kind == "jpeg":
        image.draft(image.mode, (side, side))  # the decoder scales by up to 8
    elif width * height > limits.max_decode_pixels:
        return None
    try:
        image.load()
        image.thumbnail((side, side))
        return _as_rgb(image)
    except Exception as exc:  # damaged data: truncated, bad checksum, broken strips
        raise RasterError(f"the image data is damaged or cut short ({exc})") from None


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode.startswith(("I;16", "I", "F")):
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode == "P" or image.mode == "1":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(backdrop, image.convert("RGBA")).convert("RGB")
    return image.convert("RGB")
