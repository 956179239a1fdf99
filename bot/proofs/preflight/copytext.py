"""Label copy as a proofreader compares it: normalised tokens, found across line breaks,
and near misses by edit ratio.

Text is reduced to tokens: case folded, diacritics dropped (Beyoncé = Beyonce), quotes and
apostrophes dropped inside words (Don’t = Don't = Dont), other punctuation a break, digits
apart from letters, "&" read as "and", CJK characters one token each (they have no spaces).
``(P)``, ``(p)`` and Ⓟ become the token ℗; ``(C)``, ``(c)`` and Ⓒ become ©.

A needle is found where its tokens, run together, equal a run of the page's tokens run
together, starting and ending at token boundaries: "Night Drive" is found in "Night\\nDrive",
"Mid-\\nnight" finds "Midnight", and "N I G H T" (tracked lettering) finds "Night"; "Heaven"
is not found in "Heavenly".
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

TYPO_RATIO = 0.8
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[℗©]|\d+|[{_CJK}]|[^\W\d_{_CJK}]+")
_PARENS = re.compile(r"\(([pPcC])\)")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Circled letters lose their circle under NFKD, so they are mapped before it.
_CIRCLED = str.maketrans({"Ⓟ": " ℗ ", "ⓟ": " ℗ ", "Ⓒ": " © ", "ⓒ": " © "})
# Letters NFKD leaves alone; apostrophes vanish so "Don’t" = "Dont"; PDFium marks a hyphen
# it wrapped at with U+FFFE, and a soft hyphen may survive extraction: both are breaks.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ł": "l",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "&": " and ",
        "\ufffe": " ",
        "\u00ad": " ",
        **dict.fromkeys("'’‘ʼ‛`´′", None),
    }
)


def tokens(text: str) -> list[str]:
    """The words of ``text`` as they are compared."""
    text = unicodedata.normalize("NFKD", text.translate(_CIRCLED))
    text = _PARENS.sub(lambda m: " ℗ " if m.group(1) in "pP" else " © ", text)
    if not text.isascii():
        text = _MARKS.sub("", text)
    return _TOKEN.findall(text.casefold().translate(_FOLD))


def normalise(text: str) -> str:
    """``text`` as compared, one space between tokens: "Don’t Stop!" -> "dont stop"."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class PageText:
    """One page's text, tokenised; ``offsets[i]`` is where token i starts in ``compact``
    (the tokens run together), and ``offsets[-1]`` is its length."""

    number: int
    raw: str
    words: list[str]
    compact: str = field(repr=False)
    offsets: list[int] = field(repr=False)
    _starts: frozenset[int] = field(repr=False)

    @classmethod
    def of(cls, number: int, raw: str) -> PageText:
        words = tokens(raw)
        offsets = [0]
        for word in words:
            offsets.append(offsets[-1] + len(word))
        return cls(number, raw, words, "".join(words), offsets, frozenset(offsets))

    def find(self, needle: Sequence[str], start: int = 0, stop: int | None = None) -> int | None:
        """The index of the token a match of ``needle`` starts at, within tokens
        ``start``..``stop``, or None."""
        joined = "".join(needle)
        if not joined:
            return None
        begin, end = self.offsets[start], self.offsets[len(self.words) if stop is None else stop]
        at = self.compact.find(joined, begin, end)
        while at != -1:
            if at in self._starts and at + len(joined) in self._starts:
                return bisect_left(self.offsets, at)
            at = self.compact.find(joined, at + 1, end)
        return None

    def surface(self, start: int, stop: int, *, one_line: bool = False) -> str:
        """The page's own words for tokens ``start``..``stop``, as printed (only those on
        the first one's line with ``one_line``)."""
        shown: list[str] = []
        count = 0
        for line in self.raw.replace("\ufffe", "-\n").splitlines():
            for word in line.split():
                found = len(tokens(word))
                if count < stop and count + found > start:
                    shown.append(word)
                count += found
            if count >= stop or (one_line and shown):
                break
        text = " ".join(shown).strip(".,;:!?\"“”'’‘()[]-–— ")
        return text or " ".join(self.words[start:stop])


def find(pages: Iterable[PageText], needle: Sequence[str]) -> int | None:
    """The number of the first page ``needle`` is on, or None."""
    return next((page.number for page in pages if page.find(needle) is not None), None)


@dataclass(frozen=True)
class Near:
    page: PageText
    start: int
    stop: int
    ratio: float

    @property
    def shown(self) -> str:
        return self.page.surface(self.start, self.stop)


@dataclass
class Budget:
    """How many windows the near-miss search may still compare: a proof that misses
    everything (the wrong file) must not cost seconds of fuzzy matching."""

    comparisons: int = 120_000  # ~3.5 µs each: 0.4 s at most


def near(
    pages: Sequence[PageText], needle: Sequence[str], budget: Budget, ratio: float = TYPO_RATIO
) -> Near | None:
    """The closest run of n-1..n+1 tokens to the n tokens of ``needle`` with a difflib
    ratio ≥ ``ratio`` on the normalised text, or None (also when the budget runs out)."""
    target = " ".join(needle)
    if not target:
        return None
    # A ratio ≥ r bounds the other string's length: 2·min/(m+L) ≥ r.
    low, high = len(target) * ratio / (2 - ratio), len(target) * (2 - ratio) / ratio
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(target)
    best: Near | None = None
    seen: set[str] = set()
    sizes = [size for size in (len(needle), len(needle) - 1, len(needle) + 1) if size > 0]
    for page in pages:
        offsets = page.offsets
        for size in sizes:
            for start in range(len(page.words) - size + 1):
                length = offsets[start + size] - offsets[start] + size - 1
                if length < low or length > high:
                    continue
                window = " ".join(page.words[start : start + size])
                if window in seen:
                    continue
                seen.add(window)
                budget.comparisons -= 1
                if budget.comparisons < 0:
                    return best
                matcher.set_seq1(window)
                if matcher.quick_ratio() < ratio:
                    continue
                found = matcher.ratio()
                if found >= ratio and (best is None or found > best.ratio):
                    best = Near(page, start, start + size, found)
    return best
