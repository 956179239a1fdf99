"""Preflight of one file against a print spec: read it within the limits, check it, and
draw its preview. Whatever the file, the answer is Findings, never an exception."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

from bot.proofs.preflight import guard
from bot.proofs.preflight.checks import (
    Resolution,
    background_check,
    colour_check,
    file_type_check,
    fonts_check,
    pages_check,
    pixel_size_check,
    ppi,
    resolution_check,
)
from bot.proofs.preflight.findings import (
    DEFAULT_LIMITS,
    Check,
    Findings,
    Limits,
    not_checked,
    size_mm,
)
from bot.proofs.preflight.geometry import (
    PT_PER_MM,
    Box,
    PageSize,
    area_check,
    judge_page,
    size_checks,
)
from bot.proofs.preflight.pdf import PdfFacts, PdfPage, PlacedImage, count_pages, read_pdf
from bot.proofs.preflight.preview import render_page, render_preview
from bot.proofs.preflight.raster import RasterError, RasterFacts, decode_small, open_raster, place
from bot.proofs.preflight.sniff import extension, sniff
from bot.proofs.preflight.spec import PrintSpec

logger = logging.getLogger("sleeve.proofs")

NO_SPEC = "no print spec for this kind: the file was read, not checked"
_MIN_PLACED_PT = PT_PER_MM  # images drawn smaller than 1 mm don't print as pictures


def preflight_file(
    path: Path, name: str, spec: PrintSpec | None, *, limits: Limits = DEFAULT_LIMITS
) -> Findings:
    """Check the file at ``path``, shared as ``name``, against ``spec`` (None: no spec for
    its kind, so it is only read and summed up)."""
    try:
        return _preflight(Path(path), name, spec, limits)
    except Exception:  # a reader's bug on a strange file is a reason, not a crash
        logger.exception("preflight of %r failed", name)
        return not_checked(
            "the file couldn't be read: the reader failed on it",
            extension(name) or "unknown",
            spec=spec.key if spec else None,
        )


def _preflight(path: Path, name: str, spec: PrintSpec | None, limits: Limits) -> Findings:
    key = spec.key if spec else None
    kind = extension(name) or "unknown"
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):  # a pipe would block the read below
            return not_checked("it is not a file", kind, spec=key)
        with path.open("rb") as file:
            head = file.read(1024)
    except OSError as exc:
        return not_checked(f"the file can't be opened ({exc.strerror or exc})", kind, spec=key)
    if found.st_size == 0:
        return not_checked("the file is empty", kind, spec=key)
    if found.st_size > limits.max_file_bytes:
        return not_checked(
            f"the file is {found.st_size / 2**20:,.0f} MB; Sleeve checks files up to "
            f"{limits.max_file_bytes / 2**20:,.0f} MB",
            kind,
            spec=key,
        )
    sniffed = sniff(head, name)
    if sniffed.refusal:
        return not_checked(sniffed.refusal, sniffed.kind, spec=key)
    notes = (sniffed.misnamed,) if sniffed.misnamed else ()
    if sniffed.kind == "pdf":
        return _pdf(str(path), spec, limits, notes)
    return _raster(str(path), sniffed.kind, spec, limits, notes)


# --- PDF -------------------------------------------------------------------------------


def _pdf(path: str, spec: PrintSpec | None, limits: Limits, notes: tuple[str, ...]) -> Findings:
    key = spec.key if spec else None
    try:
        census = guard.census(path, limits)
        count_pages(path, limits)
        facts = read_pdf(path)
    except guard.UnsafePdf as exc:
        return not_checked(str(exc), "pdf", spec=key, notes=notes)
    except Exception as exc:  # pdfminer's many errors on a broken file
        reason = str(exc).strip() or type(exc).__name__
        return not_checked(f"the PDF can't be read ({reason[:200]})", "pdf", spec=key, notes=notes)
    if not facts.pages:
        return not_checked("the PDF has no pages", "pdf", spec=key, notes=notes)
    sizes = (
        [_judge(page, spec) for page in facts.pages]
        if spec is not None and spec.trim_mm is not None
        else []
    )
    trim = sizes[0].trim_box if sizes else facts.pages[0].trim
    preview, why = _pdf_preview(path, facts, trim, census.largest_image_px, limits)
    notes += (why,) if why else ()
    pages = len(facts.pages)
    if spec is None:
        return not_checked(
            NO_SPEC, "pdf", pages=pages, preview=preview, notes=(*notes, _pdf_sum(facts))
        )
    checks, more = _pdf_checks(facts, sizes, spec, limits)
    return Findings(True, None, "pdf", pages, tuple(checks), preview, key, notes + more)


def _judge(page: PdfPage, spec: PrintSpec) -> PageSize:
    """Trim and bleed of the page as it is shown: a page turned a quarter is judged turned."""
    if page.rotation in (90, 270):
        turned = [box.turned() if box else None for box in (page.trim, page.bleed)]
        return judge_page(page.media.turned(), *turned, spec)
    return judge_page(page.media, page.trim, page.bleed, spec)


def _pdf_checks(
    facts: PdfFacts, sizes: list[PageSize], spec: PrintSpec, limits: Limits
) -> tuple[list[Check], tuple[str, ...]]:
    checks = [c for c in (file_type_check("pdf", spec),) if c]
    if spec.in_pixels:
        return [*checks, pixel_size_check(None, spec)], ()
    notes: tuple[str, ...] = ()
    if sizes:
        checks += size_checks(sizes, spec)
    elif spec.max_mm is not None:
        boxes = [p.trim or p.media for p in facts.pages]
        checks.append(area_check([(b.width_mm, b.height_mm) for b in boxes], spec))
    else:
        notes = ("size not checked: the spec gives none (use the plant's template)",)
    huge = [im for im in facts.images if im.px[0] * im.px[1] > limits.max_placed_pixels]
    if huge:
        shown = f"{huge[0].px[0]} × {huge[0].px[1]} px (p. {huge[0].page})"
        limit = f"images up to {limits.max_placed_pixels / 1e6:,.0f} MP"
        checks.append(Check("images", "fail", shown, limit))
    # Stencil masks are line art with rules of their own; they aren't judged as pictures.
    pictures = [im for im in facts.images if im.colour != "mask"]
    checks.append(resolution_check(_resolutions(pictures), spec))
    checks.append(colour_check([(im.colour, f"p. {im.page}") for im in pictures], spec))
    checks.append(fonts_check([(f.name, f.embedded, f.page) for f in facts.fonts]))
    checks += [c for c in (pages_check(len(facts.pages), spec),) if c]
    return checks, notes


def _resolutions(images: list[PlacedImage]) -> list[Resolution]:
    found = []
    for image in images:
        width, height = image.placed_pt
        if min(width, height) >= _MIN_PLACED_PT:
            placed_mm = (width / PT_PER_MM, height / PT_PER_MM)
            found.append(Resolution(ppi(image.px, placed_mm), f"p. {image.page}"))
    return found


def _pdf_preview(
    path: str, facts: PdfFacts, trim: Box | None, largest_px: int, limits: Limits
) -> tuple[bytes | None, str | None]:
    first = facts.pages[0]
    on_first = sum(im.px[0] * im.px[1] for im in facts.images if im.page == first.number)
    if on_first > limits.max_render_pixels or largest_px > limits.max_placed_pixels:
        return None, "no preview: the first page's images are too large to render safely"
    try:
        image, fractions = render_page(path, first, trim, limits.preview_px)
        return render_preview(image, fractions), None
    except Exception as exc:  # the checks stand without a picture
        logger.warning("preview of page 1 failed: %s", exc)
        return None, "no preview: the first page couldn't be drawn"


def _pdf_sum(facts: PdfFacts) -> str:
    page = facts.pages[0]
    count = len(facts.pages)
    text = f"{count} page{'s' if count > 1 else ''} of {size_mm(page.media.width_mm, page.media.height_mm)}"
    images, fonts = len(facts.images), len(facts.fonts)
    return f"{text}; {_count(images, 'placed image')}; {_count(fonts, 'font')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- rasters ---------------------------------------------------------------------------


def _raster(
    path: str, kind: str, spec: PrintSpec | None, limits: Limits, notes: tuple[str, ...]
) -> Findings:
    key = spec.key if spec else None
    try:
        image, facts = open_raster(path, kind, limits)
    except RasterError as exc:
        return not_checked(str(exc), kind, spec=key, notes=notes)
    try:
        small = decode_small(image, kind, limits)
    except RasterError as exc:
        return not_checked(str(exc), kind, pages=1, spec=key, notes=notes)
    finally:
        image.close()
    if small is None:
        notes += ("no preview: the image is too large to decode whole",)
    if spec is None:
        preview = render_preview(small, None) if small else None
        return not_checked(
            NO_SPEC, kind, pages=1, preview=preview, notes=(*notes, _raster_sum(facts))
        )
    checks, trim, more = _raster_checks(facts, kind, spec)
    preview = render_preview(small, trim) if small else None
    return Findings(True, None, kind, 1, tuple(checks), preview, key, notes + more)


def _raster_checks(
    facts: RasterFacts, kind: str, spec: PrintSpec
) -> tuple[list[Check], tuple[float, float, float, float] | None, tuple[str, ...]]:
    checks = [c for c in (file_type_check(kind, spec),) if c]
    trim = None
    notes: tuple[str, ...] = ()
    if spec.in_pixels:
        checks.append(pixel_size_check(facts.size_px, spec))
    else:
        placement = place(facts, spec)
        checks += placement.checks
        trim = placement.trim
        if placement.placed_mm is None:
            notes = ("size and resolution not checked: the spec gives no size",)
    checks.append(colour_check([(facts.colour, "")], spec))
    if spec.transparent:
        checks.append(background_check(facts.has_alpha))
    checks += [c for c in (pages_check(1, spec),) if c]
    return checks, trim, notes


def _raster_sum(facts: RasterFacts) -> str:
    dpi = f", {facts.dpi:g} dpi" if facts.dpi else ""
    return f"{facts.size_px[0]} × {facts.size_px[1]} px, {facts.mode}{dpi}"
