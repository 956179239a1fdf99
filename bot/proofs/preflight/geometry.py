"""Trim and bleed: a page (or a raster at its DPI) measured against the spec's size.

Lengths are PDF points (1/72 in) on pages and mm in messages. Without a TrimBox the page
is taken to be the trim with the bleed around it, centred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.proofs.preflight.findings import MM_PER_IN, PT_PER_IN, Check, Status, mm, size_mm, worst
from bot.proofs.preflight.spec import PrintSpec

PT_PER_MM = PT_PER_IN / MM_PER_IN
TRIM_TOLERANCE_MM = 1.0  # on each side's length
BLEED_TOLERANCE_MM = 0.2  # 3 mm passes a 1/8 in (3.175 mm) spec


@dataclass(frozen=True)
class Box:
    """A rectangle in points, x0 < x1 and y0 < y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def of(cls, value: object) -> Box | None:
        """A box from a PDF array of four numbers, in either corner order; None if not one."""
        if not isinstance(value, list | tuple) or len(value) != 4:
            return None
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return None
        a, b, c, d = (float(v) for v in value)
        box = cls(min(a, c), min(b, d), max(a, c), max(b, d))
        return box if box.x1 - box.x0 > 0 and box.y1 - box.y0 > 0 else None

    @classmethod
    def sized_mm(cls, width: float, height: float) -> Box:
        return cls(0.0, 0.0, width * PT_PER_MM, height * PT_PER_MM)

    @property
    def width_mm(self) -> float:
        return (self.x1 - self.x0) / PT_PER_MM

    @property
    def height_mm(self) -> float:
        return (self.y1 - self.y0) / PT_PER_MM

    def within(self, outer: Box) -> tuple[float, float, float, float]:
        """Where this box is on ``outer`` drawn as an image: left, top, right, bottom as
        fractions of its width and height (images count down, PDF pages up)."""
        width, height = outer.x1 - outer.x0, outer.y1 - outer.y0
        return (
            (self.x0 - outer.x0) / width,
            (outer.y1 - self.y1) / height,
            (self.x1 - outer.x0) / width,
            (outer.y1 - self.y0) / height,
        )

    def turned(self) -> Box:
        """The box a quarter turn round, as a page with /Rotate 90 is shown."""
        return Box(self.y0, self.x0, self.y1, self.x1)

    def inset(self, dx_mm: float, dy_mm: float) -> Box:
        dx, dy = dx_mm * PT_PER_MM, dy_mm * PT_PER_MM
        return Box(self.x0 + dx, self.y0 + dy, self.x1 - dx, self.y1 - dy)

    def clip(self, other: Box) -> Box:
        return Box(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )


@dataclass(frozen=True)
class PageSize:
    """One page's trim and bleed verdicts."""

    trim: Status
    trim_text: str
    bleed: Status | None  # None: no bleed verdict (the trim is unknown)
    bleed_text: str
    trim_box: Box | None  # where the trim is, for the preview


def _close(a: float, b: float, tolerance: float = TRIM_TOLERANCE_MM) -> bool:
    return abs(a - b) <= tolerance


def _bleed(measured: float, wanted: float) -> tuple[Status, str]:
    if measured <= BLEED_TOLERANCE_MM:
        return "fail", "none"
    status: Status = "pass" if measured >= wanted - BLEED_TOLERANCE_MM else "warn"
    return status, f"{mm(measured)} mm"


def _with_trim_box(trim: Box, outer: Box, spec_trim: tuple[float, float], bleed: float) -> PageSize:
    ok = _close(trim.width_mm, spec_trim[0]) and _close(trim.height_mm, spec_trim[1])
    margins = [trim.x0 - outer.x0, trim.y0 - outer.y0, outer.x1 - trim.x1, outer.y1 - trim.y1]
    status, text = _bleed(max(0.0, min(margins)) / PT_PER_MM, bleed)
    return PageSize(
        "pass" if ok else "fail",
        f"{size_mm(trim.width_mm, trim.height_mm)} (TrimBox)",
        status,
        text,
        trim,
    )


def _from_page(page: Box, spec_trim: tuple[float, float], bleed: float, noun: str) -> PageSize:
    """No TrimBox: the page is trim + bleed on each side, or the trim alone."""
    width, height = page.width_mm, page.height_mm
    over_w, over_h = (width - spec_trim[0]) / 2, (height - spec_trim[1]) / 2
    shown = f"{size_mm(width, height)} {noun}"
    half = TRIM_TOLERANCE_MM / 2  # the page's tolerance, shared by its two edges
    if _close(over_w, 0, half) and _close(over_h, 0, half):
        return PageSize("pass", shown, "fail", "none", page)
    bleed_status: Status
    if _close(over_w, bleed, half) and _close(over_h, bleed, half):
        bleed_status = "pass"
    elif half < min(over_w, over_h) and max(over_w, over_h) < bleed + half:
        bleed_status = "warn"
    else:
        return PageSize("fail", shown, None, "", None)
    return PageSize(
        "pass",
        f"{size_mm(*spec_trim)} ({shown} less bleed)",
        bleed_status,
        f"{mm(min(over_w, over_h))} mm",
        page.inset(over_w, over_h),
    )


def judge_page(
    media: Box, trim: Box | None, bleed: Box | None, spec: PrintSpec, *, noun: str = "page"
) -> PageSize:
    """The page against ``spec.trim_mm``; TrimBox when there is one, else the page."""
    assert spec.trim_mm is not None
    if trim is not None:
        return _with_trim_box(trim, (bleed or media).clip(media), spec.trim_mm, spec.bleed_mm)
    return _from_page(media, spec.trim_mm, spec.bleed_mm, noun)


def _where(statuses: Sequence[Status | None], status: Status, pages: int) -> tuple[int, str]:
    """(index of the first page with ``status``, " — p. 3 and 2 more pages")."""
    hits = [index for index, found in enumerate(statuses) if found == status]
    if pages == 1:
        return hits[0], ""
    if status == "pass":
        return hits[0], f" — all {pages} pages" if len(hits) == pages else f" — p. {hits[0] + 1}"
    more = len(hits) - 1
    tail = f" and {more} more page{'s' if more > 1 else ''}" if more else ""
    return hits[0], f" — p. {hits[0] + 1}{tail}"


def size_checks(sizes: Sequence[PageSize], spec: PrintSpec) -> list[Check]:
    """The trim and bleed checks over all pages: the worst, where it is first, how often."""
    assert spec.trim_mm is not None
    width, height = spec.trim_mm
    with_bleed = size_mm(width + 2 * spec.bleed_mm, height + 2 * spec.bleed_mm)
    expected = f"{size_mm(width, height)} ± {mm(TRIM_TOLERANCE_MM)} mm"
    if spec.bleed_mm:
        expected += f"; {with_bleed} with bleed"
    trims = [size.trim for size in sizes]
    status = worst(trims)
    index, where = _where(trims, status, len(sizes))
    checks = [Check("trim", status, sizes[index].trim_text + where, expected)]
    bleeds = [size.bleed for size in sizes]
    judged = [b for b in bleeds if b is not None]
    if spec.bleed_mm and judged:
        status = worst(judged)
        index, where = _where(bleeds, status, len(sizes))
        checks.append(
            Check("bleed", status, sizes[index].bleed_text + where, f"{mm(spec.bleed_mm)} mm")
        )
    return checks


def fits(width_mm: float, height_mm: float, area: tuple[float, float]) -> bool:
    """Within the print area, either way round."""
    w, h = area
    return (width_mm <= w + TRIM_TOLERANCE_MM and height_mm <= h + TRIM_TOLERANCE_MM) or (
        width_mm <= h + TRIM_TOLERANCE_MM and height_mm <= w + TRIM_TOLERANCE_MM
    )


def area_check(pages: Sequence[tuple[float, float]], spec: PrintSpec) -> Check:
    """A print area (T-shirts): every page fits in it."""
    assert spec.max_mm is not None
    over = [index for index, (w, h) in enumerate(pages) if not fits(w, h, spec.max_mm)]
    index = over[0] if over else 0
    where = f" — p. {index + 1}" if len(pages) > 1 and over else ""
    return Check(
        "size",
        "fail" if over else "pass",
        size_mm(*pages[index]) + where,
        f"within {size_mm(*spec.max_mm)}",
    )
