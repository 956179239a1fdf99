"""The critical path's pure rules: remaining days along each path, float, ranking."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.catalog import KINDS
from bot.domain.critical_path import (
    ART_PATH,
    PHYSICAL_PATH,
    StageDays,
    at_risk,
    deadline,
    fixed_days,
    float_days,
    most_days,
    rank_by_float,
    remaining_days,
    stage_table,
    working_stage,
)
from bot.domain.stages import Stage
from bot.domain.templates import load_stage_days

TODAY = date(2026, 11, 26)
SHIPPED = load_stage_days()
PHYSICAL_KINDS = sorted(key for key, kind in KINDS.items() if kind.physical)
ART_KINDS = sorted(key for key, kind in KINDS.items() if not kind.physical)

days = st.integers(min_value=0, max_value=400)
stage_days = st.builds(
    lambda values, plants: StageDays(dict(zip(PHYSICAL_PATH, values, strict=True)), plants),
    st.lists(days, min_size=len(PHYSICAL_PATH), max_size=len(PHYSICAL_PATH)),
    st.dictionaries(st.sampled_from(["cd", "vinyl", "cassette", "digital"]), days),
)
formats = st.sampled_from([None, "cd", "vinyl", "cassette", "digital", "lp"])
release_formats = st.lists(st.sampled_from(["cd", "vinyl", "cassette", "digital", "lp"]))


def test_the_shipped_days_follow_the_plants() -> None:
    # Vinyl: ~15 working days to test pressings and ~20 more after approval (8–10 weeks).
    assert remaining_days("jacket", "manufacturing", "vinyl", SHIPPED) == 56 + 3
    # CD: 12–15 working days at the plant after art approval.
    assert remaining_days("booklet", "approved", "cd", SHIPPED) == 2 + 5 + 21 + 3
    assert remaining_days("jacket", "brief", "vinyl", SHIPPED) == 5 + 14 + 5 + 2 + 5 + 56 + 3
    # Digital art ends at approved: no prepress, no plant, no QC.
    assert remaining_days("social", "brief", "digital", SHIPPED) == 5 + 14 + 5 + 2
    assert remaining_days("social", "approved", "digital", SHIPPED) == 2


def test_done_and_cancelled_need_nothing_and_a_hold_resumes_where_it_was() -> None:
    for stage in (Stage.DONE, Stage.CANCELLED):
        assert remaining_days("jacket", stage, "vinyl", SHIPPED) == 0
        assert working_stage(stage) is None
    held = remaining_days("jacket", "on_hold", "vinyl", SHIPPED, held_from="prepress")
    assert held == remaining_days("jacket", "prepress", "vinyl", SHIPPED)
    unknown = remaining_days("jacket", "on_hold", "vinyl", SHIPPED, held_from=None)
    assert unknown == remaining_days("jacket", "brief", "vinyl", SHIPPED)


def test_the_cover_waits_for_the_slowest_format_of_its_release() -> None:
    cover = remaining_days("cover", "prepress", None, SHIPPED, release_formats=["cd", "vinyl"])
    assert cover == 5 + 56 + 3
    assert remaining_days("cover", "prepress", None, SHIPPED, release_formats=["cd"]) == 29
    # No format and no release: the default plant time.
    assert remaining_days("poster", "prepress", None, SHIPPED) == 5 + 28 + 3
    # A format the templates don't know takes the default too.
    assert SHIPPED.manufacturing("lp") == 28
    assert SHIPPED.manufacturing(None, ["lp", "cd"]) == 21


def test_stage_days_need_every_stage_and_cannot_be_changed() -> None:
    with pytest.raises(ValueError, match="missing for: qc"):
        StageDays({stage: 1 for stage in PHYSICAL_PATH[:-1]}, {})
    with pytest.raises(TypeError):
        SHIPPED.days[Stage.BRIEF] = 0  # type: ignore[index]


@given(stage_days, st.sampled_from(PHYSICAL_KINDS + ART_KINDS), formats, release_formats)
def test_moving_forward_never_needs_more_days(
    plan: StageDays, kind: str, fmt: str | None, release: list[str]
) -> None:
    path = PHYSICAL_PATH if KINDS[kind].physical else ART_PATH
    needs = [remaining_days(kind, s, fmt, plan, release_formats=release) for s in path]
    assert needs == sorted(needs, reverse=True)
    assert needs[-1] == plan.days[path[-1]] + (
        plan.manufacturing(fmt, release) if path[-1] is Stage.MANUFACTURING else 0
    )
    total = sum(plan.days[s] for s in path if s is not Stage.MANUFACTURING)
    pressing = plan.manufacturing(fmt, release) if Stage.MANUFACTURING in path else 0
    assert needs[0] == total + pressing


@given(stage_days, st.sampled_from(ART_KINDS), formats, st.sampled_from(list(Stage)))
def test_art_that_is_never_printed_skips_the_physical_stages(
    plan: StageDays, kind: str, fmt: str | None, stage: Stage
) -> None:
    needs = remaining_days(kind, stage, fmt, plan)
    current = working_stage(stage)
    ahead = ART_PATH[ART_PATH.index(current) :] if current in ART_PATH else ()
    expected = sum(plan.days[s] for s in ahead)
    assert needs == expected


@given(stage_days, st.sampled_from(list(KINDS)), st.sampled_from(list(Stage)), formats)
def test_no_asset_needs_more_than_most_days(
    plan: StageDays, kind: str, stage: Stage, fmt: str | None
) -> None:
    # The digest skips street dates further away than this: none of them can be at risk.
    needs = remaining_days(kind, stage, fmt, plan, release_formats=["cd", "vinyl", "lp"])
    assert needs <= most_days(plan)
    slowest = max([plan.days[Stage.MANUFACTURING], *plan.manufacturing_by_format.values()])
    assert most_days(plan) == sum(plan.days.values()) - plan.days[Stage.MANUFACTURING] + slowest


@given(stage_days)
def test_the_table_the_sql_is_built_from_agrees_with_remaining_days(plan: StageDays) -> None:
    for physical, kind in ((True, "jacket"), (False, "social")):
        for stage, (fixed, pressing) in stage_table(plan, physical=physical).items():
            assert (fixed, pressing) == fixed_days(stage, physical=physical, stage_days=plan)
            extra = plan.manufacturing("vinyl") if pressing else 0
            assert remaining_days(kind, stage, "vinyl", plan) == fixed + extra


@given(st.integers(-500, 500), st.integers(0, 500))
def test_float_is_the_days_left_minus_the_days_needed(offset: int, needs: int) -> None:
    street = TODAY + timedelta(days=offset)
    assert float_days(street, needs, TODAY) == offset - needs
    assert at_risk(needs, offset) is (float_days(street, needs, TODAY) < 0)


def test_the_deadline_is_the_street_date_else_the_due_date() -> None:
    assert deadline(date(2027, 1, 6), date(2026, 11, 1)) == date(2027, 1, 6)
    assert deadline(None, date(2026, 11, 1)) == date(2026, 11, 1)
    assert deadline(None, None) is None


@given(
    st.lists(
        st.tuples(st.integers(-50, 50), st.none() | st.dates(), st.integers(1, 10_000)),
        unique_by=lambda row: row[2],
    )
)
def test_ranking_is_least_float_then_due_date_then_id(
    rows: list[tuple[int, date | None, int]],
) -> None:
    ranked = rank_by_float(rows, key=lambda row: row)
    for first, second in pairwise(ranked):
        assert first[0] <= second[0]
        if first[0] == second[0]:
            assert first[1] is not None or second[1] is None  # no due date: last
            if first[1] is not None and second[1] is not None:
                assert (first[1], first[2]) <= (second[1], second[2])
    assert sorted(ranked, key=lambda row: row[2]) == sorted(rows, key=lambda row: row[2])
