"""The preview: the first page or the raster, small, with the bleed shaded and the trim
line drawn, as a PNG."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from bot.proofs.preflight.geometry import Box
from bot.proofs.preflight.pdf import PDFIUM_LOCK, PdfPage

Fractions = tuple[float, float, float, float]  # left, top, right, bottom, 0..1 of the image

SHADE = (236, 0, 140, 96)  # the bleed, beyond the trim: translucent magenta
TRIM_LINE = (0, 174, 239)  # cyan, as plants draw it
_LINE_PX = 2


def render_preview(base: Image.Image, trim: Fractions | None) -> bytes:
    """``base`` (RGB) as a PNG, with the area outside ``trim`` shaded and the trim drawn."""
    image = base.convert("RGB")
    if trim is not None:
        width, height = image.size
        left, top = round(trim[0] * width), round(trim[1] * height)
        right, bottom = round(trim[2] * width) - 1, round(trim[3] * height) - 1
        left, top = max(0, min(left, width - 1)), max(0, min(top, height - 1))
        right, bottom = max(left, min(right, width - 1)), max(top, min(bottom, height - 1))
        shade = Image.new("RGBA", image.size, SHADE)
        ImageDraw.Draw(shade).rectangle((left, top, right, bottom), fill=(0, 0, 0, 0))
        image = Image.alpha_composite(image.convert("RGBA"), shade).convert("RGB")
        ImageDraw.Draw(image).rectangle(
            (left, top, right, bottom), outline=TRIM_LINE, width=_LINE_PX
        )
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()


def render_page(
    path: str, page: PdfPage, trim: Box | None, longest_px: int
) -> tuple[Image.Image, Fractions | None]:
    """The page with its bleed (BleedBox, else the page), at most ``longest_px`` a side,
    and where ``trim`` falls on it (None on a turned page)."""
    region = (page.bleed or page.media).clip(page.media)
    width, height = region.x1 - region.x0, region.y1 - region.y0
    scale = longest_px / max(width, height)
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
        try:
            rendered = document[page.number - 1]
            if page.rotation == 0:  # a turned page is shown whole, as PDFium turns it
                rendered.set_cropbox(region.x0, region.y0, region.x1, region.y1)
            bitmap = rendered.render(scale=scale, may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
        finally:
            document.close()
    image.thumbnail((longest_px, longest_px))  # PDFium rounds the bitmap's size up
    if trim is None or page.rotation:
        return image, None
    return image, trim.within(region)
