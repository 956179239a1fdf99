"""What a preflight reports: checks with measured and expected values, and its limits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "warn", "fail"]
NOT_CHECKED = "not checked"
_RANK = {"pass": 0, "warn": 1, "fail": 2}

MM_PER_IN = 25.4
PT_PER_IN = 72.0


@dataclass(frozen=True)
class Limits:
    """What one preflight may cost. A file beyond them is not checked, with the reason."""

    max_file_bytes: int = 256 * 1024 * 1024
    # A raster's declared pixels; an A1 poster at 300 ppi is ~70 MP.
    max_raster_pixels: int = 120_000_000
    # Rasters decoded whole for the preview, ~5 bytes a pixel at the peak (an A2 poster
    # at 300 ppi with bleed is 35.7 MP); JPEG decodes scaled down instead.
    max_decode_pixels: int = 40_000_000
    max_pdf_pages: int = 400
    # A placed image's declared pixels: its size is read, never its pixels.
    max_placed_pixels: int = 120_000_000
    # A PDF page is rendered for the preview only if its images are this small in all.
    max_render_pixels: int = 40_000_000
    # One PDF stream (content, font, object stream) inflated, and all of them together.
    max_stream_bytes: int = 64 * 1024 * 1024
    max_streams_bytes: int = 192 * 1024 * 1024
    preview_px: int = 1200


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Check:
    name: str  # trim, bleed, resolution, colour, fonts, pages, size, file type, background
    status: Status
    measured: str
    expected: str

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "status": self.status,
            "measured": self.measured,
            "expected": self.expected,
        }


@dataclass(frozen=True)
class Findings:
    checked: bool
    reason: str | None  # why the file was not checked
    file_kind: str  # pdf, tiff, png, jpeg, psd, or the name's extension
    pages: int | None
    checks: tuple[Check, ...]
    preview_png: bytes | None
    spec: str | None = None  # the spec's key, like "vinyl7.jacket"
    notes: tuple[str, ...] = ()  # what was read but not judged, or skipped and why

    @property
    def problems(self) -> int:
        return sum(check.status == "fail" for check in self.checks)

    @property
    def warnings(self) -> int:
        return sum(check.status == "warn" for check in self.checks)

    @property
    def status(self) -> str:
        """pass, warn, fail, or "not checked"."""
        if not self.checked:
            return NOT_CHECKED
        return worst(check.status for check in self.checks)


def worst(statuses: Iterable[Status]) -> Status:
    found: Status = "pass"
    for status in statuses:
        if _RANK[status] > _RANK[found]:
            found = status
    return found


def not_checked(
    reason: str,
    file_kind: str,
    *,
    pages: int | None = None,
    preview: bytes | None = None,
    spec: str | None = None,
    notes: tuple[str, ...] = (),
) -> Findings:
    return Findings(False, reason, file_kind, pages, (), preview, spec, notes)


def mm(value: float) -> str:
    """120 -> "120", 314.325 -> "314.3"."""
    return f"{value:.1f}".removesuffix(".0")


def size_mm(width: float, height: float) -> str:
    return f"{mm(width)} × {mm(height)} mm"
