"""A4 page layout on fpdf2: wrapped table rows that break across pages, and text folding.

The PDF uses fpdf2's built-in Helvetica so Sleeve ships no font file and needs none on the
host. Built-in fonts speak WinAnsi (Windows-1252), which covers Western European names,
curly quotes, dashes and the euro sign. Anything else is folded by ``pdf_safe``: accents
outside WinAnsi are stripped (ő -> o), compatibility forms are unfolded (ﬁ -> fi, full-width
Ａ -> A), a few Latin letters without a decomposition are spelled in ASCII (Ł -> L), invisible
format characters are dropped and whatever is left (Cyrillic, CJK, emoji) becomes ``?``.
Rendering therefore never fails on user text; embedding a Unicode TTF would lift the fold.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF

ENCODING = "cp1252"  # what fpdf2 writes for WinAnsiEncoding
MARGIN = 15.0
LINE_H = 4.6
FONT = "Helvetica"
_RULE_GREY = 170
_HEADER_FILL = 235

# Latin letters that NFKD leaves whole and WinAnsi lacks, and punctuation worth keeping.
_SPELLED = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "ı": "i",
        "Ŧ": "T",
        "ŧ": "t",
        "Ŋ": "N",
        "ŋ": "n",
        "ĸ": "k",
        "Ə": "E",
        "ə": "e",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2032": "'",
        "\u2033": '"',
    }
)


def _fold_char(ch: str, multiline: bool) -> str:
    if ch == "\n":
        return ch if multiline else " "
    category = unicodedata.category(ch)
    if category in ("Zl", "Zp"):
        return "\n" if multiline else " "
    if category == "Zs" or ch == "\t":
        return " "
    if category in ("Cc", "Cf"):
        return ""  # controls, bidi overrides, zero-width joiners: invisible or hostile
    if category in ("Cs", "Co", "Cn"):
        return "?"
    try:
        ch.encode(ENCODING)
        return ch
    except UnicodeEncodeError:
        pass
    spelled = ch.translate(_SPELLED)
    if spelled != ch:
        return spelled
    kept = []
    for part in unicodedata.normalize("NFKD", ch):
        try:
            part.encode(ENCODING)
            kept.append(part)
        except UnicodeEncodeError:
            continue
    if kept:
        return "".join(kept)
    return "" if category.startswith("M") else "?"


def pdf_safe(text: str, *, multiline: bool = False) -> str:
    """``text`` in characters the built-in fonts can draw; see the module docstring."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(_fold_char(ch, multiline) for ch in text)


def _restore(line: str) -> str:
    # fpdf2 returns dry-run lines as WinAnsi bytes read as Latin-1 ("—" as "\x97"); turn them
    # back into text, or keep them when a later fpdf2 returns the text as given.
    try:
        return line.encode("latin-1").decode(ENCODING)
    except UnicodeError:
        return line


@dataclass(frozen=True)
class Column:
    width: float
    align: str = "L"


class Sheet(FPDF):
    """An A4 portrait page with a footer naming the document on every page."""

    def __init__(self, footer_label: str, created: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_label = pdf_safe(footer_label)
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 5)
        self.set_creation_date(created)  # fixed, so identical input gives identical bytes
        self.set_font(FONT, size=9)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.footer_label} - page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def ensure_space(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, *, size: float, red: bool = False, boxed: bool = False) -> None:
        self.set_font(FONT, style="B", size=size)
        if red:
            self.set_text_color(190, 0, 0)
            self.set_draw_color(190, 0, 0)
        self.set_line_width(0.6 if boxed else 0.2)
        height = size * 0.5
        self.ensure_space(height)
        text = pdf_safe(text)
        width = self.get_string_width(text) + (4 if boxed else 0)
        self.cell(width, height, text, border=1 if boxed else 0, align="C" if boxed else "L")
        self.ln(height + 1)
        self.set_text_color(0)
        self.set_draw_color(0)
        self.set_line_width(0.2)

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines that fit ``width`` in the current font."""
        safe = pdf_safe(text, multiline=True)
        if not safe:
            return [""]
        # Most cells fit on one line; measuring is much cheaper than a dry-run multi_cell.
        if "\n" not in safe and self.get_string_width(safe) <= width - 2 * self.c_margin:
            return [safe]
        lines = self.multi_cell(width, LINE_H, safe, dry_run=True, output="LINES")
        return [_restore(line) for line in lines] or [""]

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str]],
        *,
        header: Sequence[str] | None = None,
        bold: bool = False,
        x: float = MARGIN,
        rule: bool = False,
    ) -> None:
        """Rows of wrapped cells; a row breaks across pages and the header is redrawn."""
        if header is not None:
            self._header(columns, header, x)
        for row in rows:
            self.set_font(FONT, style="B" if bold else "", size=9)
            wrapped = [self.wrap(text, col.width) for col, text in zip(columns, row, strict=True)]
            self._row(columns, wrapped, header, x, bold)
            if rule:
                self.set_draw_color(_RULE_GREY)
                self.line(x, self.get_y(), x + sum(c.width for c in columns), self.get_y())
                self.set_draw_color(0)

    def _header(self, columns: Sequence[Column], header: Sequence[str], x: float) -> None:
        self.set_font(FONT, style="B", size=9)
        self.set_fill_color(_HEADER_FILL)
        self.ensure_space(LINE_H * 3)  # never a header alone at the foot of a page
        self.set_x(x)
        for col, text in zip(columns, header, strict=True):
            self.cell(col.width, LINE_H + 1, pdf_safe(text), align=col.align, fill=True)
        self.ln(LINE_H + 1)

    def _row(
        self,
        columns: Sequence[Column],
        wrapped: list[list[str]],
        header: Sequence[str] | None,
        x: float,
        bold: bool,
    ) -> None:
        height = max(len(lines) for lines in wrapped)
        done = 0
        while done < height:
            room = int((self.page_break_trigger - self.get_y()) // LINE_H)
            # Start a short row on a fresh page rather than split it; split only a tall one.
            if room < min(height - done, 3) or room <= 0:
                self.add_page()
                if header is not None:
                    self._header(columns, header, x)
                self.set_font(FONT, style="B" if bold else "", size=9)
                continue
            chunk = min(room, height - done)
            top = self.get_y()
            for i in range(chunk):
                self.set_xy(x, top + i * LINE_H)
                for col, lines in zip(columns, wrapped, strict=True):
                    text = lines[done + i] if done + i < len(lines) else ""
                    self.cell(col.width, LINE_H, text, align=col.align)
            self.set_xy(x, top + chunk * LINE_H)
            done += chunk
