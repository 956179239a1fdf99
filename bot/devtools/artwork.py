"""Sample artwork files for preflight: real PDFs and rasters, good and broken, generated.

Used by the tests, the bench and the dev shell; nothing here is stored in the repository.
Sizes are in mm like the print specs; images are placed full bleed, so their effective
resolution is ``image_ppi``.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF
from PIL import Image

MM_PER_IN = 25.4
FontUse = Literal["embedded", "core", "none"]
# fpdf2 embeds a TrueType font it is given; machines without one get no text instead.
_TTF_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def embeddable_font() -> str | None:
    """A TrueType font on this machine fpdf2 can embed, or None."""
    return next((path for path in _TTF_CANDIDATES if os.path.isfile(path)), None)


def photo(size_px: tuple[int, int], *, mode: str = "CMYK", seed: int = 0) -> Image.Image:
    """A photo-like image: gradients with grain, different for every ``seed``."""
    width, height = size_px
    grain = Image.effect_noise((width, height), 24 + seed % 16)
    ramp = Image.linear_gradient("L").resize((width, height))
    bands = []
    for index in range(4 if mode == "CMYK" else 3):
        turned = ramp.rotate(90 * ((index + seed) % 4)) if width == height else ramp
        bands.append(Image.blend(turned, grain, 0.35 + 0.1 * index))
    if mode == "CMYK":
        return Image.merge("CMYK", bands[:4])
    rgb = Image.merge("RGB", bands[:3])
    return rgb if mode == "RGB" else rgb.convert(mode)


def _jpeg(image: Image.Image, quality: int = 85) -> io.BytesIO:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    out.seek(0)
    return out


def print_pdf(
    path: Path,
    *,
    pages: int = 1,
    trim_mm: tuple[float, float] = (120, 120),
    bleed_mm: float = 3.0,
    page_mm: tuple[float, float] | None = None,
    image_ppi: float | None = 300,
    cmyk: bool = True,
    fonts: FontUse = "embedded",
    trim_box: bool = False,
    text: str = "Sleeve proof",
) -> Path:
    """A print PDF: each page trim + 2 × bleed (or ``page_mm``), a full-page image at
    ``image_ppi`` (None: no image), and a line of text in an embedded or a core font.
    ``trim_box`` sets TrimBox and BleedBox too."""
    width, height = page_mm or (trim_mm[0] + 2 * bleed_mm, trim_mm[1] + 2 * bleed_mm)
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    ttf = embeddable_font() if fonts == "embedded" else None
    if ttf:
        pdf.add_font("Embedded", fname=ttf)
    for number in range(pages):
        pdf.add_page()
        if image_ppi:
            px = (round(width / MM_PER_IN * image_ppi), round(height / MM_PER_IN * image_ppi))
            image = photo(px, mode="CMYK" if cmyk else "RGB", seed=number)
            pdf.image(_jpeg(image), x=0, y=0, w=width, h=height)
        if fonts == "core" or ttf:
            pdf.set_font("Helvetica" if fonts == "core" else "Embedded", size=9)
            pdf.text(bleed_mm + 5, bleed_mm + 10, f"{text} {number + 1}")
    pdf.output(str(path))
    if trim_box:
        _set_boxes(path, bleed_mm)
    return path


def _set_boxes(path: Path, bleed_mm: float) -> None:
    """TrimBox inset by the bleed and BleedBox = the page, on every page (fpdf2 has no
    API for boxes; PDFium writes them)."""
    import pypdfium2 as pdfium

    inset = bleed_mm / MM_PER_IN * 72
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            left, bottom, right, top = page.get_bbox()
            page.set_mediabox(left, bottom, right, top)
            page.set_bleedbox(left, bottom, right, top)
            page.set_trimbox(left + inset, bottom + inset, right - inset, top - inset)
        pdf.save(str(path))
    finally:
        pdf.close()


def booklet_pdf(path: Path, *, pages: int = 24, **options: Any) -> Path:
    """A CD booklet: 120 × 120 mm pages with 3 mm bleed, 300 ppi CMYK images; ``options``
    are :func:`print_pdf`'s."""
    return print_pdf(path, pages=pages, **options)


def raster(
    path: Path,
    size_px: tuple[int, int],
    *,
    mode: str = "CMYK",
    fmt: str = "TIFF",
    dpi: float | None = 300,
    flat: tuple[int, ...] | None = None,
) -> Path:
    """An image file; ``flat`` fills it with one colour (in ``mode``'s bands) instead of
    a photo-like picture."""
    image = Image.new(mode, size_px, flat) if flat is not None else photo(size_px, mode=mode)
    options: dict[str, object] = {"dpi": (dpi, dpi)} if dpi else {}
    if fmt == "TIFF":
        options["compression"] = "tiff_deflate" if flat is not None else "raw"
    elif fmt == "JPEG":
        options["quality"] = 90
    image.save(path, fmt, **options)
    return path


def store_cover(path: Path, side_px: int = 3000, *, fmt: str = "JPEG", mode: str = "RGB") -> Path:
    """A digital store cover: square, RGB, JPEG or PNG."""
    return raster(path, (side_px, side_px), mode=mode, fmt=fmt, dpi=72)


def png_bomb(path: Path, side_px: int = 30_000) -> Path:
    """A valid 1-bit PNG of ``side_px`` square: a few hundred KB that decode to ~110 MB
    of bits, or ~900 MP in any decoder that expands pixels."""
    row = b"\x00" + bytes((side_px + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side_px)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side_px, side_px, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


def truncated(source: Path, path: Path, *, keep: float = 0.5) -> Path:
    """The first ``keep`` of ``source``: an upload cut short."""
    data = source.read_bytes()
    path.write_bytes(data[: max(1, int(len(data) * keep))])
    return path


def broken_pdf(path: Path) -> Path:
    """A PDF cut off half-way, as a failed upload leaves it."""
    whole = print_pdf(path.with_name(f"{path.stem}-whole.pdf"), pages=2, trim_mm=(30, 30))
    truncated(whole, path, keep=0.45)
    whole.unlink()
    return path


def illustrator_file(path: Path) -> Path:
    """An .ai file saved PDF-compatible: a PDF inside, still not what goes to print."""
    print_pdf(path, trim_mm=(30, 30), image_ppi=None, fonts="none")
    return path


def unknown_file(path: Path, size: int = 4096) -> Path:
    path.write_bytes(b"SLEEVE-NOT-ART" + os.urandom(size))
    return path


def big_file(path: Path, size: int) -> Path:
    """A PDF header followed by a hole of ``size`` bytes: instant, and no disk used."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        out.truncate(size)
    return path


def raw_pdf(path: Path, objects: Sequence[bytes]) -> Path:
    """A PDF of ``objects`` (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    path.write_bytes(bytes(out))
    return path


def flate_bomb_pdf(path: Path, inflated_mb: int = 1024) -> Path:
    """One page whose content stream is ~1 MB that inflates to ``inflated_mb`` MB."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 300] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ],
    )


def many_pages_pdf(path: Path, claimed: int = 10_000_000) -> Path:
    """A page tree that claims ``claimed`` pages and has a handful."""
    kids = b" ".join(b"%d 0 R" % n for n in range(3, 8))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, claimed),
            *[page] * 5,
        ],
    )


def huge_image_pdf(path: Path, side_px: int = 20_000) -> Path:
    """A page drawing an image that declares ``side_px`` square and holds a few bytes."""
    pixels = zlib.compress(b"\x00" * 64)
    content = b"q 300 0 0 300 0 0 cm /Im1 Do Q"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 300] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R"
            b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceCMYK"
            b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (side_px, side_px, len(pixels))
            + pixels
            + b"\nendstream",
        ],
    )


def protected_pdf(path: Path, *, user_password: str | None = None) -> Path:
    """An encrypted PDF: with an owner password only it opens without one."""
    pdf = FPDF(unit="mm", format=(36, 36))
    pdf.add_page()
    pdf.set_encryption(owner_password="plant", user_password=user_password, encryption_method="RC4")
    pdf.output(str(path))
    return path


def psd(path: Path, size_px: tuple[int, int], *, mode: str = "CMYK", level: int = 128) -> Path:
    """A flat Photoshop file: its composite only, every channel at ``level``."""
    channels = {"CMYK": 4, "RGB": 3, "L": 1}[mode]
    colour_mode = {"CMYK": 4, "RGB": 3, "L": 1}[mode]
    width, height = size_px
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, channels, height, width, 8, colour_mode)
    sections = struct.pack(">III", 0, 0, 0)  # colour mode data, resources, layers: none
    plane = bytes([level]) * (width * height)
    path.write_bytes(header + sections + struct.pack(">H", 0) + plane * channels)
    return path


# --- label copy: proofs with real text ---------------------------------------------------

_CORE_SAFE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "℗": "(P)", "–": "-", "—": "-"})


@dataclass(frozen=True)
class TextBlock:
    """Text set on a proof page: wrapped at ``width_mm`` (``multi_cell``: soft hyphens
    break with a hyphen), or turned ``rotate`` degrees at (``x_mm``, ``y_mm``) like a spine."""

    text: str
    width_mm: float | None = None  # None: the page's width less margins
    size_pt: float = 9.0
    rotate: float = 0.0
    x_mm: float | None = None
    y_mm: float | None = None


def label_copy_pdf(
    path: Path,
    *,
    pages: Sequence[Sequence[str | TextBlock]],
    trim_mm: tuple[float, float] = (120, 120),
    bleed_mm: float = 3.0,
    embed_font: bool = True,
    image_ppi: float | None = None,
    outlined: bool = False,
) -> Path:
    """A proof whose pages carry ``pages``' lines as live text (one line each, or
    :class:`TextBlock`s) in an embedded TrueType font, so ℗, ©, curly quotes and accents
    survive; core Helvetica (latin-1, ℗ as "(P)") without one. ``image_ppi`` puts a
    full-bleed CMYK photo under the text; ``outlined`` draws the glyphs as paths: no text."""
    width, height = trim_mm[0] + 2 * bleed_mm, trim_mm[1] + 2 * bleed_mm
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_margins(bleed_mm + 5, bleed_mm + 5)
    pdf.set_auto_page_break(False)
    ttf = embeddable_font() if embed_font or outlined else None
    if ttf:
        pdf.add_font("Embedded", fname=ttf)
    for number, lines in enumerate(pages):
        pdf.add_page()
        if image_ppi:
            px = (round(width / MM_PER_IN * image_ppi), round(height / MM_PER_IN * image_ppi))
            pdf.image(_jpeg(photo(px, seed=number)), x=0, y=0, w=width, h=height)
        for line in lines:
            block = line if isinstance(line, TextBlock) else TextBlock(line)
            text = block.text if ttf else block.text.translate(_CORE_SAFE)
            pdf.set_font("Embedded" if ttf else "Helvetica", size=block.size_pt)
            if outlined and ttf:
                _outlined_line(pdf, ttf, text, block.size_pt)
            elif block.rotate:
                x, y = block.x_mm or pdf.l_margin, block.y_mm or pdf.get_y()
                with pdf.rotation(block.rotate, x, y):
                    pdf.text(x, y, text)
            else:
                w = block.width_mm or pdf.epw
                pdf.multi_cell(w, block.size_pt * 0.45, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _outlined_line(pdf: FPDF, ttf: str, text: str, size_pt: float) -> None:
    """``text`` as filled glyph outlines at the cursor, then a line down: what "create
    outlines" leaves, with no text for a reader to extract."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont

    font = TTFont(ttf, lazy=True)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    scale = size_pt / 72 * MM_PER_IN / font["head"].unitsPerEm  # mm per font unit
    x, y = pdf.get_x(), pdf.get_y() + size_pt * 0.35

    class Pen(BasePen):  # font units, y up -> page mm, y down
        def _at(self, point: tuple[float, float]) -> tuple[float, float]:
            return x + point[0] * scale, y - point[1] * scale

        def _moveTo(self, p: tuple[float, float]) -> None:
            path.move_to(*self._at(p))

        def _lineTo(self, p: tuple[float, float]) -> None:
            path.line_to(*self._at(p))

        def _curveToOne(self, *points: tuple[float, float]) -> None:
            path.curve_to(*(c for p in points for c in self._at(p)))

        def _closePath(self) -> None:
            path.close()

    with pdf.new_path() as path:
        path.style.fill_color = "#000000"
        path.style.stroke_color = None
        for char in text:
            name = cmap.get(ord(char), ".notdef")
            glyphs[name].draw(Pen(glyphs))
            x += glyphs[name].width * scale
    pdf.set_xy(pdf.l_margin, pdf.get_y() + size_pt * 0.45)
