"""Preflight: a proof file checked against the print spec of its asset's kind and format.

A pure library: no Slack, no database. ``preflight_file`` reads a PDF or a raster within
``Limits``, checks trim, bleed, resolution, colour, fonts and pages, and draws a preview.
"""

from bot.proofs.preflight.engine import NO_SPEC, preflight_file
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
