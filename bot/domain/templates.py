"""Release templates: which assets a release of each format needs, and when.

The defaults ship as ``bot/data/templates.yaml``; a file named by ``SLEEVE_TEMPLATES``
replaces them. Due dates are back-scheduled from the street date, and every release gets
one front cover, due with its earliest format. The same file gives each stage its days
(``stage_days:``), for the digest's critical path; a file without them takes the shipped ones.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator
from pydantic import ValidationError as PydanticValidationError

from bot.core.errors import ValidationError
from bot.domain.catalog import KINDS
from bot.domain.critical_path import PHYSICAL_PATH, StageDays
from bot.domain.datafiles import load_yaml, read_data_file

COVER_KIND = "cover"
COVER_TITLE = "Front cover"
MAX_DAYS_BEFORE = 3650  # ten years, like the furthest date a command accepts
MAX_PROBLEMS = 5  # listed in a TemplateError; the rest are counted

_FORMAT_KEY = re.compile(r"[a-z][a-z0-9_]{0,19}", re.ASCII)
# What people call some formats; used only when the key itself is not a template.
_ALIASES = {"lp": "vinyl", '7"': "vinyl7", "7inch": "vinyl7", "7in": "vinyl7", "tape": "cassette"}


class TemplateError(ValueError):
    """The template file can't be used; the message names the file and the entry."""


@dataclass(frozen=True)
class TemplateAsset:
    kind: str
    title: str
    days_before: int


@dataclass(frozen=True)
class FormatTemplate:
    key: str
    label: str
    lead_weeks: int
    assets: tuple[TemplateAsset, ...]


@dataclass(frozen=True)
class PlannedAsset:
    kind: str
    title: str
    due: date
    format: str | None  # None for the release's cover, which belongs to every format
    overdue_reason: str | None


# --- the file's shape ------------------------------------------------------------------

_Text = Annotated[StrictStr, Field(min_length=1)]
_Days = Annotated[StrictInt, Field(ge=0, le=MAX_DAYS_BEFORE)]


class _AssetEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: _Text
    title: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    days_before: _Days

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind == COVER_KIND:
            raise ValueError("the front cover is added once per release; don't list it")
        if kind not in KINDS:
            kinds = ", ".join(key for key in KINDS if key != COVER_KIND)
            raise ValueError(f"unknown kind {kind!r}; kinds: {kinds}")
        return kind


class _FormatEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    lead_weeks: Annotated[StrictInt, Field(ge=0, le=MAX_DAYS_BEFORE // 7)]
    assets: Annotated[list[_AssetEntry], Field(min_length=1)]


class _StageDaysEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brief: _Days
    design: _Days
    review: _Days
    approved: _Days
    prepress: _Days
    manufacturing: _Days  # the plant time of a format not listed below
    qc: _Days
    manufacturing_by_format: dict[StrictStr, _Days] = Field(default_factory=dict)


class _TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    formats: Annotated[dict[StrictStr, _FormatEntry], Field(min_length=1)]
    stage_days: _StageDaysEntry | None = None


def _check_format(key: str, entry: _FormatEntry) -> list[str]:
    """Rules across one format's entries, as ``where: problem`` lines."""
    problems = []
    if not _FORMAT_KEY.fullmatch(key):
        problems.append(
            f"formats.{key}: a format key is lower-case letters, digits and _, like vinyl7"
        )
    seen: dict[str, int] = {}
    for index, asset in enumerate(entry.assets):
        where = f"formats.{key}.assets[{index}] ({asset.title!r})"
        folded = asset.title.casefold()
        if folded in seen:
            problems.append(f"{where}: duplicate title, same as assets[{seen[folded]}]")
        seen.setdefault(folded, index)
        # The lead time is the promise behind "street date too close"; no asset may beat it.
        if asset.days_before > entry.lead_weeks * 7:
            problems.append(
                f"{where}: days_before {asset.days_before} is more than lead_weeks "
                f"{entry.lead_weeks} ({entry.lead_weeks * 7} days)"
            )
    return problems


def _check_labels(formats: dict[str, _FormatEntry]) -> list[str]:
    # Labels tell formats apart in titles and messages, so two formats can't share one.
    first: dict[str, str] = {}
    problems = []
    for key, entry in formats.items():
        folded = entry.label.casefold()
        if folded in first:
            problems.append(
                f"formats.{key}.label: {entry.label!r} is already the label of {first[folded]}"
            )
        first.setdefault(folded, key)
    return problems


def _check_stage_days(parsed: _TemplateFile) -> list[str]:
    # A plant time for a format the file doesn't define is a typo no release could use.
    plants = parsed.stage_days.manufacturing_by_format if parsed.stage_days else {}
    formats = ", ".join(parsed.formats)
    where = "stage_days.manufacturing_by_format"
    return [
        f"{where}.{k}: unknown format; formats: {formats}"
        for k in plants
        if k not in parsed.formats
    ]


def _where(loc: tuple[int | str, ...], raw: Any) -> str:
    """``formats.vinyl.assets[2] ('Vinyl label — side A').kind`` for a pydantic location."""
    text = ""
    node = raw
    for step in loc:
        if step == "[key]":  # pydantic's marker for a bad mapping key
            text += " key"
        elif isinstance(step, int) and not isinstance(node, dict):
            text += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("title"), str):
                text += f" ({node['title']!r})"
        else:
            text += f".{step}" if text else str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return text or "the file"


def _problem(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown field"
    got = repr(error.get("input"))
    got = f"{got[:60]}…" if len(got) > 60 else got
    if kind in ("model_type", "dict_type"):
        return f"should be a mapping of fields (got {got})"
    return f"{error['msg'][0].lower()}{error['msg'][1:]} (got {got})"


# --- loading ---------------------------------------------------------------------------


def _parse(path: str | Path | None) -> _TemplateFile:
    """The file at ``path`` (None: the packaged one), checked; TemplateError names the entry."""
    name, text = read_data_file(
        path, packaged="templates.yaml", what="template file", error=TemplateError
    )
    raw = load_yaml(name, text, error=TemplateError)
    if not isinstance(raw, dict):
        raise TemplateError(f"{name}: expected a mapping with `formats:` at the top")
    try:
        parsed = _TemplateFile.model_validate(raw)
    except PydanticValidationError as exc:
        problems = [f"{_where(e['loc'], raw)}: {_problem(e)}" for e in exc.errors()]
    else:
        problems = _check_labels(parsed.formats) + _check_stage_days(parsed)
        for key, entry in parsed.formats.items():
            problems += _check_format(key, entry)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        lines = problems[:MAX_PROBLEMS] + ([f"…and {more} more"] if more > 0 else [])
        raise TemplateError(f"{name}: " + "; ".join(lines))
    return parsed


def load_templates(path: str | Path | None = None) -> dict[str, FormatTemplate]:
    """The format templates by key, in file order; None reads the packaged defaults."""
    parsed = _parse(path)
    return {
        key: FormatTemplate(
            key=key,
            label=entry.label,
            lead_weeks=entry.lead_weeks,
            assets=tuple(TemplateAsset(a.kind, a.title, a.days_before) for a in entry.assets),
        )
        for key, entry in parsed.formats.items()
    }


def load_stage_days(path: str | Path | None = None) -> StageDays:
    """The days per stage of the file at ``path``, with a plant time for each of its
    formats; a file without ``stage_days:`` takes the packaged file's."""
    parsed = _parse(path)
    entry = parsed.stage_days or _parse(None).stage_days
    if entry is None:  # the packaged file always carries them; a test guards it
        raise TemplateError("bot/data/templates.yaml: `stage_days:` is missing")
    days = entry.model_dump(exclude={"manufacturing_by_format"})
    by_format = {
        key: entry.manufacturing_by_format.get(key, entry.manufacturing) for key in parsed.formats
    }
    return StageDays({stage: days[stage.value] for stage in PHYSICAL_PATH}, by_format)


@cache
def stage_days(path: str | None) -> StageDays:
    """``load_stage_days``, read once per path (the digest asks on every build)."""
    return load_stage_days(path)


# --- using them ------------------------------------------------------------------------


def _unknown_formats(unknown: list[str], templates: dict[str, FormatTemplate]) -> ValidationError:
    shown = ", ".join(f"`{item[:20]}`" for item in unknown)
    hint = ""
    if close := difflib.get_close_matches(unknown[0], list(templates), n=1):
        hint = f" Did you mean {close[0]}?"
    return ValidationError(
        f"`format:` doesn't know {shown}.{hint} Formats: {', '.join(templates)}."
    )


def parse_formats(text: str, templates: dict[str, FormatTemplate]) -> list[str]:
    """``cd, Vinyl`` -> ``["cd", "vinyl"]``: known keys, first mention kept, in order."""
    items = [item.lower() for item in re.split(r"[\s,]+", text.replace("`", "'")) if item]
    if not items:
        raise ValidationError(
            f"`format:` needs at least one format, like cd,vinyl. Formats: {', '.join(templates)}."
        )
    keys = [
        _ALIASES[item] if item not in templates and _ALIASES.get(item) in templates else item
        for item in items
    ]
    unknown = [key for key in dict.fromkeys(keys) if key not in templates]
    if unknown:
        raise _unknown_formats(unknown, templates)
    return list(dict.fromkeys(keys))


def _with_label(label: str, title: str) -> str:
    # "Booklet" -> "CD booklet", but keep "T-shirt" and "J-card" as written.
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        title = title[0].lower() + title[1:]
    return f"{label} {title}"


def _distinct_titles(rows: list[tuple[str, FormatTemplate | None]]) -> list[str]:
    """Titles unique within the release, ignoring case; the cover (no template) keeps its own."""
    counts = Counter(title.casefold() for title, _ in rows)
    used: set[str] = set()
    distinct = []
    for title, template in rows:
        if template is not None and counts[title.casefold()] > 1:
            title = _with_label(template.label, title)
        # A prefixed title can still meet one written that way in a custom file.
        candidate, number = title, 1
        while candidate.casefold() in used:
            number += 1
            candidate = f"{title} {number}"
        used.add(candidate.casefold())
        distinct.append(candidate)
    return distinct


def _reason(template: FormatTemplate) -> str:
    return f"street date too close: {template.label} needs {template.lead_weeks} weeks"


def plan_release(
    formats: list[str],
    street_date: date,
    today: date,
    templates: dict[str, FormatTemplate],
) -> list[PlannedAsset]:
    """The cover, then each format's assets, due ``days_before`` the street date.

    An asset already due before ``today`` carries the reason it is late.
    """
    keys = list(dict.fromkeys(formats))
    if not keys:
        raise ValidationError("`format:` needs at least one format, like cd,vinyl.")
    if unknown := [key for key in keys if key not in templates]:
        raise _unknown_formats(unknown, templates)
    chosen = [templates[key] for key in keys]

    def lead(template: FormatTemplate) -> int:
        return max(asset.days_before for asset in template.assets)

    earliest = max(chosen, key=lead)  # the first listed wins a tie
    # (kind, title, days_before, template the timing comes from, format key)
    rows: list[tuple[str, str, int, FormatTemplate, str | None]] = [
        (COVER_KIND, COVER_TITLE, lead(earliest), earliest, None)
    ]
    rows += [(a.kind, a.title, a.days_before, t, t.key) for t in chosen for a in t.assets]
    titles = _distinct_titles([(row[1], row[3] if row[4] else None) for row in rows])
    planned = []
    for (kind, _, days_before, template, key), title in zip(rows, titles, strict=True):
        try:
            due = street_date - timedelta(days=days_before)
        except OverflowError:
            raise ValidationError("`date:` is too early to schedule the release's art.") from None
        reason = _reason(template) if due < today else None
        planned.append(PlannedAsset(kind, title, due, key, reason))
    return planned
