"""Print specs: what a file of each kind of asset must measure, per format.

The defaults ship as ``bot/data/print_specs.yaml``; a file named by ``SLEEVE_PRINT_SPECS``
replaces them (the plant's template wins). Entries are keyed ``<kind>`` or
``<format>.<kind>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from pydantic import ValidationError as PydanticValidationError

from bot.domain.catalog import KINDS
from bot.domain.datafiles import load_yaml, read_data_file

Colour = Literal["cmyk", "rgb", "any"]
FileType = Literal["pdf", "tiff", "png", "jpeg", "psd"]
MAX_PROBLEMS = 5  # listed in a PrintSpecError; the rest are counted

_KEY = re.compile(r"(?:([a-z][a-z0-9_]{0,19})\.)?([a-z_]+)", re.ASCII)
_FORMAT = re.compile(r"[a-z][a-z0-9_]{0,19}", re.ASCII)


class PrintSpecError(ValueError):
    """The print spec file can't be used; the message names the file and the entry."""


@dataclass(frozen=True)
class PrintSpec:
    key: str  # the entry it came from: "vinyl7.jacket", "booklet"
    label: str
    trim_mm: tuple[float, float] | None  # finished size, exact (± tolerance)
    max_mm: tuple[float, float] | None  # a print area the art must fit in (T-shirts)
    bleed_mm: float
    colour: Colour
    min_ppi: int  # below: warn
    fail_ppi: int  # below: fail
    pages_multiple_of: int | None
    max_pages: int | None
    min_px: int | None  # pixel specs: the shortest side at least this
    square: bool
    sizes_px: tuple[tuple[int, int], ...]  # pixel specs: exactly one of these
    file_types: tuple[str, ...]  # empty: any file Sleeve reads
    transparent: bool  # a raster should have a transparent background

    @property
    def in_pixels(self) -> bool:
        return self.min_px is not None or bool(self.sizes_px)


@dataclass(frozen=True)
class PrintSpecs:
    specs: Mapping[str, PrintSpec]
    digital_formats: frozenset[str]

    def for_asset(self, kind: str, formats: Sequence[str]) -> PrintSpec | None:
        """The spec of an asset of ``kind`` in ``formats`` (a 1-tuple, or a cover's
        release formats); None when there is none (kind ``other``).

        Print formats are tried first, each as ``<format>.<kind>``, then the kind's
        default; only an asset of digital formats alone gets ``digital.<kind>``, so a
        cover is print art unless its release is digital only.
        """
        ordered = list(dict.fromkeys(formats))
        printed = [f for f in ordered if f not in self.digital_formats]
        tried = [f"{f}.{kind}" for f in printed]
        if not printed:
            tried += [f"{f}.{kind}" for f in ordered]
        tried.append(kind)
        return next((self.specs[key] for key in tried if key in self.specs), None)


# --- the file's shape ------------------------------------------------------------------

_Mm = Annotated[float, Field(gt=0, le=3000)]
_Px = Annotated[StrictInt, Field(gt=0, le=100_000)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: Annotated[StrictStr, Field(min_length=1, max_length=60)]
    trim_mm: tuple[_Mm, _Mm] | None = None
    max_mm: tuple[_Mm, _Mm] | None = None
    bleed_mm: Annotated[float, Field(ge=0, le=25)] = 0.0
    colour: Colour
    min_ppi: Annotated[StrictInt, Field(ge=50, le=4800)] = 300
    fail_ppi: Annotated[StrictInt, Field(ge=0, le=4800)] = 200
    pages_multiple_of: Annotated[StrictInt, Field(ge=2, le=64)] | None = None
    max_pages: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = None
    min_px: _Px | None = None
    square: StrictBool = False
    sizes_px: Annotated[list[tuple[_Px, _Px]], Field(min_length=1)] | None = None
    file_types: Annotated[list[FileType], Field(min_length=1)] | None = None
    transparent: StrictBool = False


class _SpecFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    digital_formats: list[StrictStr] = []
    specs: Annotated[dict[StrictStr, _Entry], Field(min_length=1)]


def _check_key(key: str) -> list[str]:
    match = _KEY.fullmatch(key)
    if not match:
        return [f"specs.{key}: a key is <kind> or <format>.<kind>, like vinyl7.jacket"]
    if match.group(2) not in KINDS:
        return [f"specs.{key}: unknown kind {match.group(2)!r}; kinds: {', '.join(KINDS)}"]
    return []


def _check_entry(key: str, entry: _Entry) -> list[str]:
    """Rules across one entry's fields, as ``where: problem`` lines."""
    where = f"specs.{key}"
    sizes = [name for name in ("trim_mm", "max_mm") if getattr(entry, name) is not None]
    pixels = [name for name in ("min_px", "sizes_px") if getattr(entry, name) is not None]
    problems = []
    if len(sizes) + len(pixels) > 1:
        given = ", ".join(sizes + pixels)
        problems.append(f"{where}: give one of trim_mm, max_mm, min_px or sizes_px (got {given})")
    if entry.bleed_mm and not sizes:
        problems.append(f"{where}.bleed_mm: bleed needs a size in mm (trim_mm or max_mm)")
    if entry.fail_ppi > entry.min_ppi:
        problems.append(f"{where}.fail_ppi: {entry.fail_ppi} is above min_ppi {entry.min_ppi}")
    if entry.square and entry.min_px is None:
        problems.append(f"{where}.square: square goes with min_px")
    return problems


def _where(loc: tuple[int | str, ...]) -> str:
    """``specs.vinyl7.jacket.trim_mm[1]`` for a pydantic location."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step != "[key]":
            text += f".{step}" if text else step
    return text or "the file"


def _problem(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown field"
    got = repr(error.get("input"))
    got = f"{got[:60]}…" if len(got) > 60 else got
    return f"{error['msg'][0].lower()}{error['msg'][1:]} (got {got})"


def _parse(name: str, text: str) -> _SpecFile:
    raw = load_yaml(name, text, error=PrintSpecError)
    if not isinstance(raw, dict):
        raise PrintSpecError(f"{name}: expected a mapping with `specs:` at the top")
    try:
        parsed = _SpecFile.model_validate(raw)
    except PydanticValidationError as exc:
        problems = [f"{_where(e['loc'])}: {_problem(e)}" for e in exc.errors()]
    else:
        problems = [
            f"digital_formats: {f!r} is not a format key"
            for f in parsed.digital_formats
            if not _FORMAT.fullmatch(f)
        ]
        for key, entry in parsed.specs.items():
            problems += _check_key(key) or _check_entry(key, entry)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        lines = problems[:MAX_PROBLEMS] + ([f"…and {more} more"] if more > 0 else [])
        raise PrintSpecError(f"{name}: " + "; ".join(lines))
    return parsed


def _spec(key: str, entry: _Entry) -> PrintSpec:
    return PrintSpec(
        key=key,
        label=entry.label,
        trim_mm=entry.trim_mm,
        max_mm=entry.max_mm,
        bleed_mm=entry.bleed_mm,
        colour=entry.colour,
        min_ppi=entry.min_ppi,
        fail_ppi=entry.fail_ppi,
        pages_multiple_of=entry.pages_multiple_of,
        max_pages=entry.max_pages,
        min_px=entry.min_px,
        square=entry.square,
        sizes_px=tuple(entry.sizes_px or ()),
        file_types=tuple(entry.file_types or ()),
        transparent=entry.transparent,
    )


def load_print_specs(path: str | Path | None = None) -> PrintSpecs:
    """The print specs; None reads the packaged defaults, a path replaces them."""
    name, text = read_data_file(
        path, packaged="print_specs.yaml", what="print spec file", error=PrintSpecError
    )
    parsed = _parse(name, text)
    return PrintSpecs(
        specs={key: _spec(key, entry) for key, entry in parsed.specs.items()},
        digital_formats=frozenset(parsed.digital_formats),
    )
