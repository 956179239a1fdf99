"""The copy check: a text-bearing proof against its release's locked label copy.

The catalog number, the UPC, every track title, the (P) and (C) lines and the artist must
be in the proof's live text; how text is compared is ``copytext``'s. A title with a
version, like "Night Drive (Radio Edit)", is found with or without the version: tray
cards and labels often print the bare title. Anything missing fails, naming the closest
text when it is a likely typo.

Text is read by PDFium, after the same stream census the preflight runs: it is ~100× as
fast as pdfplumber on a text-heavy booklet and reads a spine set bottom to top in order.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.proofs.preflight import guard
from bot.proofs.preflight.copytext import Budget, Near, PageText, find, near, tokens
from bot.proofs.preflight.findings import DEFAULT_LIMITS, Check, Findings, Limits, Status
from bot.proofs.preflight.spec import PrintSpec

logger = logging.getLogger("sleeve.proofs")

MAX_TEXT_CHARS = 2_000_000  # a booklet of lyrics is ~100 k; past this the rest is unread
MAX_SHOWN = 3  # names listed in a measured string before "and N more"
_MAX_MEASURED = 400
_MAX_NAME = 60
_MAX_TYPO_SEARCHES = 10  # more titles missing than this: the wrong file, not typos
_DIGIT_GAPS = re.compile(r"(?<=\d)[ \t\-]+(?=\d)")  # "0 12345 67890 5" -> one code
_YEAR = re.compile(r"(19|20)\d\d")
_VERSION = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")  # a trailing "(Radio Edit)"
_DASH_VERSION = re.compile(  # a trailing " - Radio Edit", " – 2011 Remaster"
    r"\s+[-–—]\s+[^-–—]*\b(edit|mix|remix|version|remaster(ed)?|live|demo|acoustic|"
    r"instrumental|mono|stereo)\b[^-–—]*$",
    re.IGNORECASE,
)
NO_LIVE_TEXT = "no live text: the copy check can't read it"
NEEDS_PDF = "the copy check needs a PDF with live text"


@dataclass(frozen=True)
class CopyReference:
    """What the label copy says; the caller builds it from the release's locked copy."""

    catno: str
    upc: str | None
    artist: str
    titles: tuple[str, ...]
    p_line: str | None  # like "℗ 2024 Sleeve Records"
    c_line: str | None


@dataclass(frozen=True)
class _Text:
    pages: tuple[PageText, ...]
    cut_at: int | None  # the last page read when the text budget ran out


def copy_check_raster() -> Check:
    return Check("copy", "warn", NEEDS_PDF, "a PDF with live text")


def copy_check_pdf(
    path: Path, reference: CopyReference, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[Check, ...]:
    """The copy checks of the PDF at ``path``; one ``copy`` warning when it can't be read."""
    try:
        text = _read(str(path), limits)
    except Exception as exc:  # guard refusals and PDFium errors alike: the reason is shown
        logger.info("copy check of %s not run: %s", path, exc)
        reason = str(exc).strip() or type(exc).__name__
        return (Check("copy", "warn", f"not read: {reason[:200]}", "a PDF with live text"),)
    if not any(page.words for page in text.pages):
        return (Check("copy", "warn", NO_LIVE_TEXT, "live text (not outlined)"),)
    return _checks(text, reference)


def preflight_with_copy(
    path: Path,
    name: str,
    spec: PrintSpec | None,
    reference: CopyReference | None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Findings:
    """``preflight_file``, and the copy checks joining its checks when there is label copy
    to check against. A file the preflight didn't check gets no copy check either."""
    from bot.proofs.preflight.engine import NO_SPEC, preflight_file

    findings = preflight_file(path, name, spec, limits=limits)
    if reference is None:
        return findings
    if not findings.checked:
        why = "copy not checked: the file has no print spec" if findings.reason == NO_SPEC else None
        return dataclasses.replace(findings, notes=(*findings.notes, why)) if why else findings
    if findings.file_kind == "pdf":
        added = copy_check_pdf(Path(path), reference, limits=limits)
    else:
        added = (copy_check_raster(),)
    return dataclasses.replace(findings, checks=findings.checks + added)


# --- reading ---------------------------------------------------------------------------


def _read(path: str, limits: Limits) -> _Text:
    """Each page's text, within the limits the preflight keeps: a regular file under the
    size limit, streams measured before PDFium opens it, the pages counted first."""
    import pypdfium2 as pdfium

    from bot.proofs.preflight.pdf import PDFIUM_LOCK, count_pages

    found = os.stat(path)
    if not stat.S_ISREG(found.st_mode) or found.st_size > limits.max_file_bytes:
        raise guard.UnsafePdf("it is not a file within the size limit")
    guard.census(path, limits)
    count_pages(path, limits)
    raws: list[str] = []
    left, cut_at = MAX_TEXT_CHARS, None
    with PDFIUM_LOCK:  # held while PDFium reads; the text is tokenised after
        document = pdfium.PdfDocument(path)
        try:
            total = len(document)
            for index in range(total):
                page = document[index]
                textpage = page.get_textpage()
                try:
                    count = textpage.count_chars()
                    raws.append(textpage.get_text_range(0, min(count, left)) if left else "")
                finally:
                    textpage.close()
                    page.close()
                cut = count > left or (count == left and index + 1 < total)
                left -= min(count, left)
                if cut:
                    cut_at = index + 1
                    break
        finally:
            document.close()
    return _Text(tuple(PageText.of(n, raw) for n, raw in enumerate(raws, 1)), cut_at)


# --- judging ---------------------------------------------------------------------------


def _checks(text: _Text, reference: CopyReference) -> tuple[Check, ...]:
    budget = Budget()
    checks: list[Check] = []
    if tokens(reference.catno):
        checks.append(_single("catalog number", text, [reference.catno], reference.catno, budget))
    upc = re.sub(r"\D", "", reference.upc or "")
    if upc:
        expected = reference.upc or upc
        checks.append(_single("UPC", text, _upc_forms(upc), expected, budget, digits=True))
    titles = [title for title in dict.fromkeys(reference.titles) if tokens(title)]
    if titles:
        checks.append(_tracks(text, titles, budget))
    for name, line, symbol in (
        ("(P) line", reference.p_line, "℗"),
        ("(C) line", reference.c_line, "©"),
    ):
        if line and tokens(line):
            checks.append(_rights(name, text, line, symbol))
    if tokens(reference.artist):
        checks.append(_single("artist", text, [reference.artist], reference.artist, budget))
    return tuple(checks)


def _upc_forms(digits: str) -> list[str]:
    """UPC-A is EAN-13 with a leading 0: either is the same code."""
    if len(digits) == 12:
        return [digits, "0" + digits]
    if len(digits) == 13 and digits.startswith("0"):
        return [digits, digits[1:]]
    return [digits]


def _single(
    name: str,
    text: _Text,
    forms: Sequence[str],
    expected: str,
    budget: Budget,
    *,
    digits: bool = False,
) -> Check:
    """One value that must be there in one of ``forms``. ``digits``: a near miss is
    looked for with digit groups run together, as a code is compared."""
    shown = _clip(expected)
    for form in forms:
        if (page := find(text.pages, tokens(form))) is not None:
            return Check(name, "pass", f"found on p. {page}", shown)
    pages = text.pages
    if digits:
        pages = tuple(PageText.of(p.number, _DIGIT_GAPS.sub("", p.raw)) for p in pages)
    close = near(pages, tokens(forms[0]), budget)
    if close is not None:
        return Check(name, "fail", f"missing; likely typo: {_typo(close, expected)}", shown)
    return Check(name, _missing_status(text), f"missing{_cut(text)}", shown)


def _titles_forms(title: str) -> list[list[str]]:
    """The title as it is, and without its trailing version(s): either is enough."""
    bare = title
    while (stripped := _DASH_VERSION.sub("", _VERSION.sub("", bare))) != bare and tokens(stripped):
        bare = stripped
    return [tokens(title)] + ([tokens(bare)] if bare != title else [])


def _tracks(text: _Text, titles: list[str], budget: Budget) -> Check:
    forms = {title: _titles_forms(title) for title in titles}
    missing = [t for t in titles if all(find(text.pages, f) is None for f in forms[t])]
    expected = f"all {len(titles)} titles of the label copy"
    if not missing:
        return Check("tracks", "pass", f"all {len(titles)} found", expected)
    # Another title printed right is no typo of this one ("Part 1" for "Part 2").
    printed = {" ".join(form) for title in titles if title not in missing for form in forms[title]}
    typos: list[str] = []
    absent: list[str] = []
    for title in missing:
        close = None
        if len(missing) <= _MAX_TYPO_SEARCHES:
            close = near(text.pages, forms[title][-1], budget)
        if close is None or " ".join(close.page.words[close.start : close.stop]) in printed:
            absent.append(title)
        else:
            typos.append(_typo(close, title))
    parts = [f"{len(titles) - len(missing)} of {len(titles)} found"]
    if absent:
        parts.append("missing " + _listed([f"'{_clip(t, _MAX_NAME)}'" for t in absent]))
    if typos:
        parts.append(("likely typo: " if len(typos) == 1 else "likely typos: ") + _listed(typos))
    status: Status = "fail" if typos else _missing_status(text)
    return Check("tracks", status, _clip("; ".join(parts) + _cut(text), _MAX_MEASURED), expected)


def _rights(name: str, text: _Text, line: str, symbol: str) -> Check:
    """A (P) or (C) line: its year(s) and owner after the symbol, or a bare P or C just
    before the year (a P drawn in a circle that isn't text)."""
    words = [w for w in tokens(line) if w not in ("℗", "©")]
    years = [w for w in words if _YEAR.fullmatch(w)]
    # The owner follows the year ("(P) & (C) 2024 Sleeve"); else it is all but the years.
    after = len(words) - words[::-1].index(years[-1]) if years else 0
    owner = words[after:] or [w for w in words if w not in years]
    if owner[:1] == ["and"]:
        owner = owner[1:]
    letter = "p" if symbol == "℗" else "c"
    first_seen: tuple[PageText, int] | None = None
    for page in text.pages:
        for at, word in enumerate(page.words):
            bare = word == letter and bool(years) and page.words[at + 1 : at + 2] == years[:1]
            if word != symbol and not bare:
                continue
            stop = min(len(page.words), at + 1 + len(words) + 4)  # room for "℗ & © 2024"
            window = page.words[at + 1 : stop]
            if all(y in window for y in years) and (
                not owner or page.find(owner, at + 1, stop) is not None
            ):
                return Check(name, "pass", f"found on p. {page.number}", _clip(line))
            first_seen = first_seen or (page, at)
    measured = f"missing{_cut(text)}"
    if first_seen is not None:
        page, at = first_seen
        seen = page.surface(at, min(len(page.words), at + 1 + len(words)), one_line=True)
        measured += f"; the closest: '{_clip(seen, _MAX_NAME)}' (p. {page.number})"
    return Check(name, _missing_status(text), measured, _clip(line))


# --- wording ---------------------------------------------------------------------------


def _typo(close: Near, expected: str) -> str:
    shown = _clip(close.shown, _MAX_NAME)
    return f"'{shown}' for '{_clip(expected, _MAX_NAME)}' (p. {close.page.number})"


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_SHOWN])
    more = len(names) - MAX_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def _missing_status(text: _Text) -> Status:
    """Missing fails, unless the text budget stopped reading before the end."""
    return "warn" if text.cut_at is not None else "fail"


def _cut(text: _Text) -> str:
    if text.cut_at is None:
        return ""
    return f" (text read to p. {text.cut_at} only: over {MAX_TEXT_CHARS:,} characters)"


def _clip(value: str, limit: int = 200) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
