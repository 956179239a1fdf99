"""Preflight test support: the packaged print specs, and small specs that keep files tiny.

A 30 × 30 mm trim with 3 mm bleed is 425 px square at 300 ppi: real checks, small files.
"""

from __future__ import annotations

import dataclasses
import io

from PIL import Image

from bot.proofs.preflight import Findings, PrintSpec, load_print_specs

SPECS = load_print_specs()
SMALL_TRIM = (30.0, 30.0)
SMALL_PX = 425  # (30 + 2 × 3) mm at 300 ppi
TRIM_PX = 354  # 30 mm at 300 ppi


def spec(kind: str, *formats: str) -> PrintSpec:
    found = SPECS.for_asset(kind, formats)
    assert found is not None, (kind, formats)
    return found


# The CD booklet spec at 30 mm: 3 mm bleed, CMYK, 300 ppi, pages in fours.
SMALL_BOOKLET = dataclasses.replace(spec("booklet", "cd"), trim_mm=SMALL_TRIM)
# One-page print art at 30 mm.
SMALL_PRINT = dataclasses.replace(SMALL_BOOKLET, key="small", pages_multiple_of=None)


def check(findings: Findings, name: str) -> tuple[str, str, str]:
    """(status, measured, expected) of the check called ``name``."""
    found = [c for c in findings.checks if c.name == name]
    assert len(found) == 1, (name, findings)
    return found[0].status, found[0].measured, found[0].expected


def statuses(findings: Findings) -> dict[str, str]:
    return {c.name: c.status for c in findings.checks}


def preview(findings: Findings) -> Image.Image:
    assert findings.preview_png is not None, findings
    image = Image.open(io.BytesIO(findings.preview_png))
    assert image.format == "PNG" and image.mode == "RGB"
    return image
