"""Preflight: wall time and peak extra memory of one preflight, preview included.

``python -m bench.preflight`` generates real-sized files in a temporary directory (a
24-page CD booklet PDF, 120 × 120 mm + 3 mm bleed, one full-bleed 300 ppi CMYK JPEG a
page; a 12" jacket TIFF at 300 ppi CMYK, 3788 px square, uncompressed; a 3000 px RGB store
cover JPEG; an A2 poster TIFF at 300 ppi with bleed, 35.7 MP CMYK, the largest kind of
raster decoded whole; and two hostile files: a PDF whose 1 MB content stream inflates to
1 GB and a PNG declaring 30000 px square) and preflights each in a fresh child process (spawn),
``RUNS`` times; the table shows medians.

Memory is the child's peak resident set (``VmHWM``, reset with ``clear_refs`` after the
engine is imported and the specs loaded) less its resident set then: what one preflight
adds, the C buffers of Pillow and PDFium included (tracemalloc would see only Python's
own allocations). Not ``ru_maxrss``: Linux carries it over ``exec``, so a spawned child
starts with its parent's peak.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

RUNS = 3
PEAK_BAR_MB = 300.0


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    file: str
    asset: tuple[str, tuple[str, ...]]  # kind, formats: what picks the spec
    expect: str = "pass"  # the status the file should get
    bar_s: float | None = None


CASES = (
    Case("booklet", "CD booklet PDF, 24 pages", "booklet.pdf", ("booklet", ("cd",)), bar_s=5.0),
    Case("tiff", '12" jacket TIFF, 3788 px CMYK', "jacket.tif", ("jacket", ("vinyl",)), bar_s=2.0),
    Case("store", "store cover JPEG, 3000 px RGB", "cover.jpg", ("cover", ("digital",))),
    Case("poster", "A2 poster TIFF, 35.7 MP CMYK", "poster.tif", ("poster", ("merch",))),
    Case("flate", "PDF stream inflating to 1 GB", "bomb.pdf", ("poster", ()), "not checked"),
    Case("png", "PNG declaring 30000 px square", "bomb.png", ("social", ()), "not checked"),
)


def make_files(folder: Path) -> None:
    from bot.devtools import artwork

    artwork.booklet_pdf(folder / "booklet.pdf", pages=24)
    artwork.raster(folder / "jacket.tif", (3788, 3788), mode="CMYK", fmt="TIFF", dpi=300)
    artwork.store_cover(folder / "cover.jpg", 3000)
    # The largest raster decoded whole for the preview: the memory worst case.
    artwork.raster(folder / "poster.tif", (5032, 7087), mode="CMYK", fmt="TIFF", dpi=300)
    artwork.flate_bomb_pdf(folder / "bomb.pdf", inflated_mb=1024)
    artwork.png_bomb(folder / "bomb.png", 30_000)


def _status_kb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> float:
    """Start the peak afresh (Linux: clear_refs 5) and return the resident set, MB."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass
    now = _status_kb("VmRSS")
    return now / 1024 if now is not None else _peak_mb()


def _peak_mb() -> float:
    peak = _status_kb("VmHWM")
    if peak is not None:
        return peak / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def measure(path: str, kind: str, formats: tuple[str, ...]) -> tuple[float, float, str]:
    """In the child: (seconds, peak extra MB, status) of one preflight."""
    from bot.proofs.preflight import load_print_specs, preflight_file

    spec = load_print_specs().for_asset(kind, formats)
    before = _reset_peak()
    started = time.perf_counter()
    findings = preflight_file(Path(path), Path(path).name, spec)
    elapsed = time.perf_counter() - started
    return elapsed, _peak_mb() - before, findings.status


def _once(path: Path, case: Case) -> tuple[float, float, str]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(measure, (str(path), *case.asset))


@dataclass(frozen=True)
class Measured:
    case: Case
    seconds: float  # medians over the runs
    peak_mb: float
    statuses: tuple[str, ...]
    size_mb: float

    @property
    def ok(self) -> bool:
        fast = self.case.bar_s is None or self.seconds < self.case.bar_s
        return self.statuses == (self.case.expect,) and self.peak_mb < PEAK_BAR_MB and fast


def run(runs: int = RUNS, out: TextIO = sys.stdout) -> dict[str, float]:
    """Measure every case and print the table; {"booklet_s", "tiff_s", "store_s",
    "peak_mb"}: medians, the peak the highest over all cases, the hostile ones included."""
    with tempfile.TemporaryDirectory(prefix="sleeve-preflight-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        make_files(folder)
        print(f"files generated in {time.perf_counter() - started:.1f} s", file=out)
        rows = []
        for case in CASES:
            found = [_once(folder / case.file, case) for _ in range(runs)]
            rows.append(
                Measured(
                    case,
                    statistics.median(f[0] for f in found),
                    statistics.median(f[1] for f in found),
                    tuple(sorted({f[2] for f in found})),
                    (folder / case.file).stat().st_size / 2**20,
                )
            )
    _table(rows, runs, out)
    by_key = {row.case.key: row for row in rows}
    return {
        "booklet_s": by_key["booklet"].seconds,
        "tiff_s": by_key["tiff"].seconds,
        "store_s": by_key["store"].seconds,
        "peak_mb": max(row.peak_mb for row in rows),
    }


def _table(rows: list[Measured], runs: int, out: TextIO) -> None:
    print(f"\npreflight, median of {runs} fresh processes (spawn)", file=out)
    header = f"{'file':<32} {'MB':>6} {'time s':>8} {'bar':>6} {'peak MB':>8} {'status':<12} ok"
    print(header, "-" * len(header), sep="\n", file=out)
    for row in rows:
        bar = f"< {row.case.bar_s:g}" if row.case.bar_s else ""
        print(
            f"{row.case.label:<32} {row.size_mb:>6.1f} {row.seconds:>8.2f} {bar:>6} "
            f"{row.peak_mb:>8.1f} {'/'.join(row.statuses):<12} {'yes' if row.ok else 'NO'}",
            file=out,
        )
    print(f"peak extra memory bar: < {PEAK_BAR_MB:g} MB (VmHWM of the child)", file=out)


if __name__ == "__main__":
    print(run())
