"""Checks that don't depend on how the file was read: resolution, colour, fonts, pages,
file type and pixel sizes. Each returns a Check with the measured and the expected value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.proofs.preflight.findings import MM_PER_IN, Check, Status
from bot.proofs.preflight.spec import PrintSpec

_COLOUR_NAMES = {
    "rgb": "RGB",
    "cmyk": "CMYK",
    "gray": "greyscale",
    "spot": "spot colour",
    "lab": "Lab",
    "unknown": "unknown colour",
}
# (spec colour, found) -> status; anything not listed passes.
_COLOUR_RULES: dict[tuple[str, str], Status] = {
    ("cmyk", "rgb"): "fail",
    ("cmyk", "lab"): "warn",
    ("cmyk", "unknown"): "warn",
    ("rgb", "cmyk"): "fail",
    ("rgb", "gray"): "warn",
    ("rgb", "lab"): "warn",
    ("rgb", "spot"): "warn",
    ("rgb", "unknown"): "warn",
}
_EXPECTED_COLOUR = {
    "cmyk": "CMYK (greyscale and spot colours too)",
    "rgb": "RGB",
    "any": "any (spot colours are the printer's)",
}


@dataclass(frozen=True)
class Resolution:
    """One image's effective resolution and where it is, like "p. 3"."""

    ppi: float
    where: str


def ppi(px: tuple[int, int], placed_mm: tuple[float, float]) -> float:
    """Pixels per inch at the placed size; the lower of the two directions. An image
    turned a quarter is matched by its shape."""
    (pw, ph), (mw, mh) = px, placed_mm
    if mw <= 0 or mh <= 0:
        return 0.0
    straight = min(pw / (mw / MM_PER_IN), ph / (mh / MM_PER_IN))
    turned = min(pw / (mh / MM_PER_IN), ph / (mw / MM_PER_IN))
    same_shape = (pw >= ph) == (mw >= mh) or abs(pw / ph - mw / mh) < abs(pw / ph - mh / mw)
    return straight if same_shape else turned


def _ppi_status(value: float, spec: PrintSpec) -> Status:
    shown = round(value)
    if shown >= spec.min_ppi:
        return "pass"
    return "warn" if shown >= spec.fail_ppi else "fail"


def resolution_check(found: Sequence[Resolution], spec: PrintSpec) -> Check:
    expected = f"≥ {spec.min_ppi} ppi (under {spec.fail_ppi} fails)"
    if not found:
        return Check("resolution", "pass", "no placed images", expected)
    low = min(found, key=lambda r: r.ppi)
    status = _ppi_status(low.ppi, spec)
    if status == "pass" and len(found) > 1:
        return Check(
            "resolution", "pass", f"lowest {round(low.ppi)} ppi, {len(found)} images", expected
        )
    if status == "pass":
        where = f" ({low.where})" if low.where else ""
        return Check("resolution", "pass", f"{round(low.ppi)} ppi{where}", expected)
    under = sum(round(r.ppi) < spec.min_ppi for r in found)
    more = f"; {under} images under {spec.min_ppi} ppi" if under > 1 else ""
    where = f" ({low.where}{more})" if low.where or more else ""
    return Check("resolution", status, f"{round(low.ppi)} ppi{where}", expected)


def colour_check(found: Sequence[tuple[str, str]], spec: PrintSpec) -> Check:
    """``found``: (colour, where) of each image or of the raster."""
    expected = _EXPECTED_COLOUR[spec.colour]
    if not found:
        return Check("colour", "pass", "no placed images (vector colours aren't checked)", expected)
    rules = {colour: _COLOUR_RULES.get((spec.colour, colour), "pass") for colour, _ in found}
    status: Status = max(rules.values(), key=("pass", "warn", "fail").index)
    if status == "pass":
        kinds = sorted({_COLOUR_NAMES.get(colour, colour) for colour, _ in found})
        return Check("colour", "pass", " and ".join(kinds), expected)
    bad = [(colour, where) for colour, where in found if rules[colour] == status]
    colour, where = bad[0]
    more = f"; {len(bad)} images" if len(bad) > 1 else ""
    detail = f" ({where}{more})" if where or more else ""
    return Check("colour", status, f"{_COLOUR_NAMES.get(colour, colour)}{detail}", expected)


def fonts_check(fonts: Sequence[tuple[str, bool, int]]) -> Check:
    """``fonts``: (name, embedded, first page) of each font the pages use."""
    expected = "every font embedded (or text outlined)"
    if not fonts:
        return Check("fonts", "pass", "no fonts (no text, or text outlined)", expected)
    missing = [font for font in fonts if not font[1]]
    if not missing:
        many = f"all {len(fonts)} fonts" if len(fonts) > 1 else "1 font"
        return Check("fonts", "pass", f"{many} embedded", expected)
    name, _, page = missing[0]
    name = name.split("+", 1)[-1] if len(name.split("+", 1)[0]) == 6 else name  # subset tag
    more = f"; {len(missing)} fonts not embedded" if len(missing) > 1 else ""
    return Check("fonts", "fail", f"{name} not embedded (p. {page}{more})", expected)


def pages_check(pages: int, spec: PrintSpec) -> Check | None:
    if spec.pages_multiple_of is None and spec.max_pages is None:
        return None
    rules = []
    status: Status = "pass"
    if spec.pages_multiple_of is not None:
        rules.append(f"a multiple of {spec.pages_multiple_of}")
        if pages % spec.pages_multiple_of:
            status = "fail"
    if spec.max_pages is not None:
        rules.append(f"at most {spec.max_pages}")
        if pages > spec.max_pages:
            status = "fail"
    shown = f"{pages} page{'s' if pages != 1 else ''}"
    return Check("pages", status, shown, " and ".join(rules) + " pages")


def file_type_check(kind: str, spec: PrintSpec) -> Check | None:
    if not spec.file_types:
        return None
    allowed = " or ".join(t.upper() for t in spec.file_types)
    return Check("file type", "pass" if kind in spec.file_types else "fail", kind.upper(), allowed)


def pixel_size_check(size: tuple[int, int] | None, spec: PrintSpec) -> Check:
    """A pixel spec: one of ``sizes_px``, or square and at least ``min_px``."""
    if spec.sizes_px:
        expected = " or ".join(f"{w} × {h} px" for w, h in spec.sizes_px)
        ok = size in spec.sizes_px
    else:
        assert spec.min_px is not None
        expected = f"{'square, ' if spec.square else ''}at least {spec.min_px} × {spec.min_px} px"
        ok = size is not None and min(size) >= spec.min_px
        ok = ok and not (spec.square and size is not None and size[0] != size[1])
    shown = f"{size[0]} × {size[1]} px" if size else "not an image (a PDF page has no pixels)"
    return Check("size", "pass" if ok else "fail", shown, expected)


def background_check(has_alpha: bool) -> Check:
    return Check(
        "background",
        "pass" if has_alpha else "warn",
        "transparent" if has_alpha else "opaque (no transparency)",
        "transparent",
    )
