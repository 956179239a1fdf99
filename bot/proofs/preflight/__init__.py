"""Preflight: a proof file checked against the print spec of its asset's kind and format.

A pure library: no Slack, no database. ``preflight_file`` reads a PDF or a raster within
``Limits``, checks trim, bleed, resolution, colour, fonts and pages, and draws a preview.

The engine (Pillow, pdfplumber, PDFium: some 20 MB a process) is imported on first use: the
processes that answer Slack read print specs but check no files themselves.
"""

from typing import TYPE_CHECKING, Any

from bot.proofs.preflight.findings import (
    DEFAULT_LIMITS,
    NOT_CHECKED,
    Check,
    Findings,
    Limits,
    Status,
)
from bot.proofs.preflight.spec import PrintSpec, PrintSpecError, PrintSpecs, load_print_specs

__all__ = [
    "DEFAULT_LIMITS",
    "NOT_CHECKED",
    "NO_SPEC",
    "Check",
    "Findings",
    "Limits",
    "PrintSpec",
    "PrintSpecError",
    "PrintSpecs",
    "Status",
    "load_print_specs",
    "preflight_file",
]


if TYPE_CHECKING:
    from bot.proofs.preflight.engine import NO_SPEC, preflight_file


def __getattr__(name: str) -> Any:
    if name in ("NO_SPEC", "preflight_file"):
        from bot.proofs.preflight import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
