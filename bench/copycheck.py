"""Copy check: what checking label copy adds to a booklet's preflight.

``python -m bench.copycheck`` generates a 24-page CD booklet (120 × 120 mm + 3 mm bleed,
one full-bleed 300 ppi CMYK JPEG a page, 1488 px square) whose pages carry 40 track
titles, credits, the catalog number, UPC, (P) and (C) lines as live text in an embedded
font; then times ``preflight_file`` alone and ``preflight_with_copy`` in this process
(after a warm-up run of each), ``RUNS`` times each, alternating; the table shows medians.
Bar: the copy check adds under ``ADDED_BAR_S``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.proofs.preflight.copycheck import CopyReference

RUNS = 3
ADDED_BAR_S = 1.0
PAGES = 24
TRACKS = 40
_WORDS = [
    "night",
    "drive",
    "dawn",
    "chorus",
    "paper",
    "moon",
    "glass",
    "river",
    "static",
    "heart",
    "velvet",
    "coast",
]

REFERENCE = CopyReference(
    catno="SLV-042",
    upc="012345678905",
    artist="The Sleeve Ensemble",
    titles=tuple(
        f"{_WORDS[n % 12].title()} {_WORDS[(n * 5 + 3) % 12].title()} No. {n + 1}"
        + (" (Radio Edit)" if n % 7 == 0 else "")
        for n in range(TRACKS)
    ),
    p_line="℗ 2024 Sleeve Records Ltd",
    c_line="© 2024 Sleeve Records Ltd",
)


def _pages() -> list[list[str]]:
    """Two tracks a page (16 pages hold 32, the next 8 one each) with credits under
    each, the label copy on the last page."""
    pages: list[list[str]] = [[] for _ in range(PAGES)]
    for number, title in enumerate(REFERENCE.titles):
        page = pages[number // 2 if number < 32 else number - 16]
        page += [
            f"{number + 1}. {title}",
            "Written by A. Writer and B. Writer. Produced by C. Producer.",
            "Recorded at Studio Nord, mixed by D. Mixer. Strings arranged by E. Arranger.",
        ]
    pages[-1] += [
        REFERENCE.artist,
        f"{REFERENCE.catno}   0 12345 67890 5",
        "℗ & © 2024 Sleeve Records Ltd. All rights reserved.",
        "Unauthorised copying, hiring, lending and broadcasting prohibited.",
    ]
    return pages


def make_file(path: Path) -> Path:
    from bot.devtools import artwork

    return artwork.label_copy_pdf(path, pages=_pages(), image_ppi=300)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(runs: int = RUNS, out: TextIO = sys.stdout) -> dict[str, float]:
    """Time both and print the table; {"copy_check_added_s", "preflight_s",
    "with_copy_s"}: medians of ``runs``."""
    from bot.proofs.preflight import load_print_specs, preflight_file
    from bot.proofs.preflight.copycheck import copy_check_pdf, preflight_with_copy

    spec = load_print_specs().for_asset("booklet", ("cd",))
    with tempfile.TemporaryDirectory(prefix="sleeve-copycheck-") as tmp:
        path = Path(tmp) / "booklet.pdf"
        started = time.perf_counter()
        make_file(path)
        size_mb = path.stat().st_size / 2**20
        print(f"booklet generated in {time.perf_counter() - started:.1f} s", file=out)
        plain = preflight_file(path, path.name, spec)
        joined = preflight_with_copy(path, path.name, spec, REFERENCE)  # warm-up, and the answer
        copy_only, alone, together = [], [], []
        for _ in range(runs):
            alone.append(_timed(lambda: preflight_file(path, path.name, spec)))
            together.append(_timed(lambda: preflight_with_copy(path, path.name, spec, REFERENCE)))
            copy_only.append(_timed(lambda: copy_check_pdf(path, REFERENCE)))
    added = joined.checks[len(plain.checks) :]
    result = {
        "copy_check_added_s": statistics.median(together) - statistics.median(alone),
        "preflight_s": statistics.median(alone),
        "with_copy_s": statistics.median(together),
    }
    _table(result, statistics.median(copy_only), size_mb, runs, out)
    shown = ", ".join(f"{check.name} {check.status}" for check in added)
    print(f"copy checks: {shown}", file=out)
    return result


def _table(result: dict[str, float], copy_s: float, size_mb: float, runs: int, out: TextIO) -> None:
    print(
        f"\ncopy check, {PAGES}-page booklet ({size_mb:.1f} MB), {TRACKS} titles; "
        f"median of {runs}, in process",
        file=out,
    )
    header = f"{'measure':<34} {'time s':>8} {'bar':>6}"
    print(header, "-" * len(header), sep="\n", file=out)
    ok = result["copy_check_added_s"] < ADDED_BAR_S
    rows = [
        ("preflight_file", result["preflight_s"], ""),
        ("preflight_with_copy", result["with_copy_s"], ""),
        ("copy_check_pdf alone", copy_s, ""),
        ("added by the copy check", result["copy_check_added_s"], f"< {ADDED_BAR_S:g}"),
    ]
    for label, seconds, bar in rows:
        print(f"{label:<34} {seconds:>8.3f} {bar:>6}", file=out)
    print(f"bar met: {'yes' if ok else 'NO'}", file=out)


if __name__ == "__main__":
    print(run())
