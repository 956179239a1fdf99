"""What a PDF is made of: its pages' boxes, the images placed on them, and its fonts.

Read with pdfplumber (pdfminer) after the stream census has vouched for the file. Images
are never decoded: their declared pixels and the size they are placed at is all that
effective resolution needs. PDFium counts the pages first, so a file claiming millions
of pages is refused before anything walks them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from bot.proofs.preflight.findings import Limits
from bot.proofs.preflight.geometry import Box
from bot.proofs.preflight.guard import UnsafePdf

# PDFium is not thread-safe and Bolt's listeners run in threads: one caller at a time.
PDFIUM_LOCK = threading.Lock()
_MAX_FORM_DEPTH = 8
_PROTECTED = "the PDF is protected (encrypted); export it without security"
_NAMES = {
    "DeviceRGB": "rgb",
    "CalRGB": "rgb",
    "RGB": "rgb",
    "DeviceCMYK": "cmyk",
    "CMYK": "cmyk",
    "DeviceGray": "gray",
    "CalGray": "gray",
    "G": "gray",
    "Separation": "spot",
    "DeviceN": "spot",
    "Lab": "lab",
}
_ICC_COMPONENTS = {1: "gray", 3: "rgb", 4: "cmyk"}


@dataclass(frozen=True)
class PdfPage:
    number: int
    media: Box
    crop: Box
    trim: Box | None
    bleed: Box | None
    rotation: int


@dataclass(frozen=True)
class PlacedImage:
    page: int
    px: tuple[int, int]
    placed_pt: tuple[float, float]  # the bounding box of where it is drawn
    colour: str  # rgb, cmyk, gray, spot, lab, mask or unknown


@dataclass(frozen=True)
class FontUse:
    name: str
    embedded: bool
    page: int  # the first page it is on


@dataclass(frozen=True)
class PdfFacts:
    pages: tuple[PdfPage, ...]
    images: tuple[PlacedImage, ...]
    fonts: tuple[FontUse, ...]


def count_pages(path: str, limits: Limits) -> int:
    """The page count as PDFium finds it by walking the page tree; UnsafePdf over the limit."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise UnsafePdf(_PROTECTED) from None
            reason = str(exc).removeprefix("Failed to load document ").strip(".() ")
            raise UnsafePdf(f"the PDF can't be opened ({reason})") from None
        try:
            count = len(document)
        finally:
            document.close()
    if count > limits.max_pdf_pages:
        raise UnsafePdf(f"the PDF has {count:,} pages; Sleeve checks up to {limits.max_pdf_pages}")
    return count


def _name(value: object) -> str | None:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) and isinstance(value.name, str) else None


def _colour(value: object, named: dict[str, Any], depth: int = 0) -> str:
    """rgb, cmyk, gray, spot, lab or unknown for a colour space, following Indexed and
    ICCBased (by its number of components) and names from the page's resources."""
    value = resolve1(value)
    if isinstance(value, list) and value:
        head, params = _name(value[0]), value[1:]
    else:
        head, params = _name(value), []
    if head is None or depth > 4:
        return "unknown"
    if head in ("Indexed", "I") and params:
        return _colour(params[0], named, depth + 1)
    if head == "ICCBased" and params:
        stream = resolve1(params[0])
        components = resolve1(stream.get("N")) if isinstance(stream, PDFStream) else None
        return _ICC_COMPONENTS.get(components, "unknown")  # type: ignore[arg-type]
    if head in _NAMES:
        return _NAMES[head]
    if head in named:  # an inline image's colour space by its resource name
        return _colour(named[head], {}, depth + 1)
    return "unknown"


def _image(item: dict[str, Any], page: int, named: dict[str, Any]) -> PlacedImage | None:
    stream = item.get("stream")
    if not isinstance(stream, PDFStream):
        return None
    width = resolve1(stream.get_any(("W", "Width")))
    height = resolve1(stream.get_any(("H", "Height")))
    if not isinstance(width, int) or not isinstance(height, int) or width < 1 or height < 1:
        return None
    if resolve1(stream.get_any(("IM", "ImageMask"))) is True:
        colour = "mask"
    else:
        colour = _colour(stream.get_any(("CS", "ColorSpace")), named)
    placed = (float(item["x1"] - item["x0"]), float(item["bottom"] - item["top"]))
    return PlacedImage(page, (width, height), placed, colour)


def _font(spec: object) -> tuple[str, bool] | None:
    font = resolve1(spec)
    if not isinstance(font, dict):
        return None
    name = _name(font.get("BaseFont")) or "unnamed font"
    subtype = _name(font.get("Subtype"))
    if subtype == "Type3":  # glyphs drawn by the PDF's own procedures
        return name, True
    if subtype == "Type0":
        descendants = resolve1(font.get("DescendantFonts"))
        font = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else {}
    descriptor = resolve1(font.get("FontDescriptor")) if isinstance(font, dict) else None
    if not isinstance(descriptor, dict):
        return name, False
    return name, any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3"))


def _fonts(resources: object, depth: int = 0, seen: set[int] | None = None) -> Iterator[object]:
    """The font dictionaries of ``resources`` and of the forms it draws, to a depth."""
    seen = set() if seen is None else seen
    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > _MAX_FORM_DEPTH:
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        yield from fonts.values()
    xobjects = resolve1(resources.get("XObject"))
    for ref in xobjects.values() if isinstance(xobjects, dict) else ():
        if getattr(ref, "objid", None) in seen:
            continue
        seen.add(getattr(ref, "objid", id(ref)))
        form = resolve1(ref)
        if isinstance(form, PDFStream) and _name(form.get("Subtype")) == "Form":
            yield from _fonts(form.get("Resources"), depth + 1, seen)


def _page(number: int, attrs: dict[str, Any]) -> PdfPage:
    media = Box.of(resolve1(attrs.get("MediaBox")))
    if media is None:
        raise UnsafePdf(f"page {number} has no valid page size (MediaBox)")
    crop = Box.of(resolve1(attrs.get("CropBox"))) or media
    rotation = resolve1(attrs.get("Rotate", 0))
    return PdfPage(
        number,
        media,
        crop.clip(media),
        Box.of(resolve1(attrs.get("TrimBox"))),
        Box.of(resolve1(attrs.get("BleedBox"))),
        rotation % 360 if isinstance(rotation, int) else 0,
    )


def _check_contents(number: int, contents: object) -> None:
    """The census let image streams inflate to their declared size; one drawn as a page's
    content would be inflated whole, so it is refused."""
    for item in contents if isinstance(contents, list) else [contents]:
        stream = resolve1(item)
        if isinstance(stream, PDFStream) and _name(stream.get("Subtype")) == "Image":
            raise UnsafePdf(f"page {number}'s content is an image stream; Sleeve can't check it")


def read_pdf(path: str) -> PdfFacts:
    """The pages, placed images and fonts; UnsafePdf for a PDF that can't be read."""
    pages, images, fonts = [], [], {}
    with pdfplumber.open(path) as pdf:
        if pdf.doc.encryption is not None:
            raise UnsafePdf(_PROTECTED)
        for page in pdf.pages:
            number = page.page_number
            attrs = page.page_obj.attrs
            pages.append(_page(number, attrs))
            _check_contents(number, page.page_obj.contents)
            resources = resolve1(attrs.get("Resources")) or {}
            named = resolve1(resources.get("ColorSpace")) if isinstance(resources, dict) else {}
            named = dict(named) if isinstance(named, dict) else {}
            for item in page.images:
                if (image := _image(item, number, named)) is not None:
                    images.append(image)
            for spec in _fonts(resources):
                key = getattr(spec, "objid", None) or id(spec)
                if key not in fonts and (found := _font(spec)) is not None:
                    fonts[key] = FontUse(found[0], found[1], number)
            page.close()
            _forget_objects(pdf)
    return PdfFacts(tuple(pages), tuple(images), tuple(fonts.values()))


def _forget_objects(pdf: pdfplumber.PDF) -> None:
    """Drop pdfminer's cache of parsed objects after each page: it holds every image
    stream's bytes until the file is closed. Decoded object streams stay cached."""
    cached = getattr(pdf.doc, "_cached_objs", None)
    if isinstance(cached, dict):
        cached.clear()
