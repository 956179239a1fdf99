"""The critical path: how many days an asset's remaining stages need, and its float.

Each stage takes a number of days (``stage_days:`` in the templates file); manufacturing
takes as long as its format's plant needs. An asset's **float** is the days left to the
date it must meet once its remaining stages are done: negative float means that date
can't be met. The date is its release's street date, or, for an asset in no release, its
own due date (the only date it has to meet).

Social and other art (not physical) ends at approved; printed items go on through
prepress, manufacturing and QC. A held asset still needs what lies ahead of the stage it
was held from. The digest computes the same numbers in SQL, from ``stage_table``, so the
two can't drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TypeVar

from bot.domain.catalog import KINDS
from bot.domain.stages import PHYSICAL_STAGES, Stage

# The stages with a duration, in the order an asset goes through them.
ART_PATH: tuple[Stage, ...] = (Stage.BRIEF, Stage.DESIGN, Stage.REVIEW, Stage.APPROVED)
PHYSICAL_PATH: tuple[Stage, ...] = ART_PATH + PHYSICAL_STAGES
# Where a held asset resumes when the stage it was held from was never recorded.
UNKNOWN_RESUME = Stage.BRIEF

T = TypeVar("T")


@dataclass(frozen=True)
class StageDays:
    """Days per stage; ``days[MANUFACTURING]`` is the plant time of a format not listed."""

    days: Mapping[Stage, int]
    manufacturing_by_format: Mapping[str, int]

    def __post_init__(self) -> None:
        missing = [stage.value for stage in PHYSICAL_PATH if stage not in self.days]
        if missing:
            raise ValueError(f"stage days missing for: {', '.join(missing)}")
        # Read-only views: one instance is cached and shared by every digest.
        object.__setattr__(self, "days", MappingProxyType(dict(self.days)))
        by_format = MappingProxyType(dict(self.manufacturing_by_format))
        object.__setattr__(self, "manufacturing_by_format", by_format)

    def manufacturing(self, format: str | None, release_formats: Iterable[str] = ()) -> int:
        """The plant time of ``format``. An asset of no format (the front cover, which
        belongs to every format) waits for the slowest format of its release."""
        default = self.days[Stage.MANUFACTURING]
        if format is not None:
            return self.manufacturing_by_format.get(format, default)
        known = [
            self.manufacturing_by_format[key]
            for key in release_formats
            if key in self.manufacturing_by_format
        ]
        return max(known, default=default)


def is_physical(kind: str) -> bool:
    found = KINDS.get(kind)
    return found is not None and found.physical


def path(*, physical: bool) -> tuple[Stage, ...]:
    return PHYSICAL_PATH if physical else ART_PATH


def working_stage(stage: Stage | str, held_from: Stage | str | None = None) -> Stage | None:
    """The stage whose work comes next: a held asset's is the one it was held from."""
    current = Stage(stage)
    if current is Stage.ON_HOLD:
        return Stage(held_from) if held_from in PHYSICAL_PATH else UNKNOWN_RESUME
    return current if current in PHYSICAL_PATH else None  # done, cancelled: nothing left


def fixed_days(stage: Stage, *, physical: bool, stage_days: StageDays) -> tuple[int, bool]:
    """What the stages from ``stage`` on need, manufacturing aside, and whether
    manufacturing is among them (its days depend on the format)."""
    stages = path(physical=physical)
    if stage not in stages:  # a physical stage on art that is never printed: nothing ahead
        return 0, False
    ahead = stages[stages.index(stage) :]
    fixed = sum(stage_days.days[s] for s in ahead if s is not Stage.MANUFACTURING)
    return fixed, Stage.MANUFACTURING in ahead


def stage_table(stage_days: StageDays, *, physical: bool) -> dict[Stage, tuple[int, bool]]:
    """``fixed_days`` of every stage on the path: the digest's SQL is built from it."""
    return {
        stage: fixed_days(stage, physical=physical, stage_days=stage_days)
        for stage in path(physical=physical)
    }


def most_days(stage_days: StageDays) -> int:
    """The most any asset can need: every stage of a printed item, at the slowest plant.
    A street date further away than this can't be at risk, whatever its assets."""
    plants = [stage_days.days[Stage.MANUFACTURING], *stage_days.manufacturing_by_format.values()]
    fixed, _ = fixed_days(PHYSICAL_PATH[0], physical=True, stage_days=stage_days)
    return fixed + max(plants)


def remaining_days(
    kind: str,
    stage: Stage | str,
    format: str | None,
    stage_days: StageDays,
    *,
    release_formats: Iterable[str] = (),
    held_from: Stage | str | None = None,
) -> int:
    """Days the asset's remaining stages need, counting its current stage in full (how
    long it has been there is not known)."""
    current = working_stage(stage, held_from)
    if current is None:
        return 0
    fixed, pressing = fixed_days(current, physical=is_physical(kind), stage_days=stage_days)
    return fixed + (stage_days.manufacturing(format, release_formats) if pressing else 0)


def float_days(deadline: date, remaining: int, today: date) -> int:
    """Days to spare before ``deadline`` once ``remaining`` days of work are done."""
    return (deadline - today).days - remaining


def deadline(street_date: date | None, due: date | None) -> date | None:
    """The date an asset must meet: its release's street date, else its own due date."""
    return street_date if street_date is not None else due


def rank_key(float_: int, due: date | None, asset_id: int) -> tuple[int, bool, date, int]:
    """Least float first; ties by due date (none last), then by id, so the order is stable."""
    return float_, due is None, due or date.min, asset_id


def rank_by_float(items: Iterable[T], key: Callable[[T], tuple[int, date | None, int]]) -> list[T]:
    """``items`` least float first; ``key`` gives each one's (float, due, id)."""
    return sorted(items, key=lambda item: rank_key(*key(item)))


def at_risk(needs: int, left: int) -> bool:
    """A street date is at risk when an asset needs more days than are left to it."""
    return needs > left
