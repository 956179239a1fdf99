"""The stage machine: every move, legal or not, for printed and digital assets."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import ConflictError, ValidationError
from bot.domain.stages import (
    ACTIVE_STAGES,
    OPEN_STAGES,
    PHYSICAL_STAGES,
    TERMINAL_STAGES,
    Stage,
    check_move,
    is_overdue,
    legal_moves,
    parse_stage,
)

S = Stage
HOLD_AND_CANCEL = {S.ON_HOLD, S.CANCELLED}

# The machine written out by hand: plain moves for physical kinds.
PHYSICAL_TABLE: dict[Stage, set[Stage]] = {
    S.BRIEF: {S.DESIGN} | HOLD_AND_CANCEL,
    S.DESIGN: {S.REVIEW} | HOLD_AND_CANCEL,
    S.REVIEW: {S.DESIGN} | HOLD_AND_CANCEL,
    S.APPROVED: {S.DESIGN, S.PREPRESS} | HOLD_AND_CANCEL,
    S.PREPRESS: {S.DESIGN, S.MANUFACTURING} | HOLD_AND_CANCEL,
    S.MANUFACTURING: {S.PREPRESS, S.QC} | HOLD_AND_CANCEL,
    S.QC: {S.DESIGN, S.PREPRESS, S.MANUFACTURING, S.DONE} | HOLD_AND_CANCEL,
    S.DONE: set(),
    S.CANCELLED: set(),
}
# Digital kinds: approved goes straight to done; the press stages never appear.
DIGITAL_TABLE: dict[Stage, set[Stage]] = {
    S.BRIEF: {S.DESIGN} | HOLD_AND_CANCEL,
    S.DESIGN: {S.REVIEW} | HOLD_AND_CANCEL,
    S.REVIEW: {S.DESIGN} | HOLD_AND_CANCEL,
    S.APPROVED: {S.DESIGN, S.DONE} | HOLD_AND_CANCEL,
    S.DONE: set(),
    S.CANCELLED: set(),
}
TABLE_CASES = [(True, current, targets) for current, targets in PHYSICAL_TABLE.items()] + [
    (False, current, targets) for current, targets in DIGITAL_TABLE.items()
]


@pytest.mark.parametrize(("physical", "current", "expected"), TABLE_CASES)
def test_legal_moves_match_the_table(physical: bool, current: Stage, expected: set[Stage]) -> None:
    assert set(legal_moves(current, physical=physical)) == expected


@pytest.mark.parametrize(("physical", "current", "expected"), TABLE_CASES)
def test_check_move_accepts_exactly_the_table(
    physical: bool, current: Stage, expected: set[Stage]
) -> None:
    for target in Stage:
        if target in expected:
            check_move(current, target, physical=physical)
        else:
            with pytest.raises(ConflictError):
                check_move(current, target, physical=physical)


def test_legal_moves_are_listed_in_stage_order() -> None:
    assert legal_moves(S.QC, physical=True) == [
        S.DESIGN,
        S.PREPRESS,
        S.MANUFACTURING,
        S.DONE,
        S.ON_HOLD,
        S.CANCELLED,
    ]


@pytest.mark.parametrize("current", list(Stage))
@pytest.mark.parametrize("physical", [True, False])
def test_a_plain_move_never_reaches_approved_except_by_resuming(
    current: Stage, physical: bool
) -> None:
    assert S.APPROVED not in legal_moves(current, physical=physical)


def test_review_to_approved_is_refused_as_a_move_and_points_to_approvals() -> None:
    with pytest.raises(ConflictError) as caught:
        check_move(S.REVIEW, S.APPROVED, physical=True, label="A-3")
    assert caught.value.message.startswith(
        "A-3 can't go from review to approved. From review it can go to: design, on_hold, "
        "cancelled."
    )
    assert "/approval request" in caught.value.message


@pytest.mark.parametrize("physical", [True, False])
def test_the_approval_flow_may_take_review_to_approved(physical: bool) -> None:
    check_move(S.REVIEW, S.APPROVED, physical=physical, via_move=False)
    assert S.APPROVED in legal_moves(S.REVIEW, physical=physical, via_move=False)


@pytest.mark.parametrize("current", [s for s in Stage if s is not S.REVIEW])
def test_the_approval_flow_reaches_approved_only_from_review(current: Stage) -> None:
    assert S.APPROVED not in legal_moves(current, physical=True, via_move=False)


def test_illegal_move_names_the_legal_ones() -> None:
    with pytest.raises(ConflictError) as caught:
        check_move(S.DESIGN, S.PREPRESS, physical=True, label="A-7")
    assert caught.value.message == (
        "A-7 can't go from design to prepress. "
        "From design it can go to: review, on_hold, cancelled."
    )


def test_illegal_move_without_a_label_still_reads_well() -> None:
    with pytest.raises(ConflictError) as caught:
        check_move(S.BRIEF, S.DONE, physical=True)
    assert caught.value.message.startswith("This asset can't go from brief to done.")


def test_moving_to_the_current_stage_says_so() -> None:
    with pytest.raises(ConflictError, match="A-1 is already in design"):
        check_move(S.DESIGN, S.DESIGN, physical=True, label="A-1")


@pytest.mark.parametrize("target", PHYSICAL_STAGES)
def test_digital_assets_are_told_the_press_stages_are_for_print(target: Stage) -> None:
    with pytest.raises(ConflictError, match="Only printed items"):
        check_move(S.APPROVED, target, physical=False)


def test_physical_assets_cannot_skip_the_press() -> None:
    with pytest.raises(ConflictError, match="approved to done"):
        check_move(S.APPROVED, S.DONE, physical=True)


@pytest.mark.parametrize("current", ACTIVE_STAGES)
def test_every_active_stage_can_be_held_and_cancelled(current: Stage) -> None:
    check_move(current, S.ON_HOLD, physical=True)
    check_move(current, S.CANCELLED, physical=True)


@pytest.mark.parametrize("held_from", ACTIVE_STAGES)
def test_a_hold_resumes_only_where_it_was_placed(held_from: Stage) -> None:
    assert legal_moves(S.ON_HOLD, physical=True, held_from=held_from) == [held_from, S.CANCELLED]
    check_move(S.ON_HOLD, held_from, physical=True, held_from=held_from)
    for target in ACTIVE_STAGES:
        if target is not held_from:
            with pytest.raises(ConflictError, match=f"From on_hold it can go to: {held_from}"):
                check_move(S.ON_HOLD, target, physical=True, held_from=held_from)


def test_resuming_an_approved_hold_restores_the_approval() -> None:
    check_move(S.ON_HOLD, S.APPROVED, physical=False, held_from=S.APPROVED)


def test_a_hold_with_no_recorded_origin_restarts_the_work() -> None:
    assert legal_moves(S.ON_HOLD, physical=True) == [S.BRIEF, S.DESIGN, S.CANCELLED]
    assert legal_moves(S.ON_HOLD, physical=True, held_from=S.ON_HOLD) == [
        S.BRIEF,
        S.DESIGN,
        S.CANCELLED,
    ]


def test_a_hold_cannot_be_held_again() -> None:
    with pytest.raises(ConflictError, match="A-4 is already on hold"):
        check_move(S.ON_HOLD, S.ON_HOLD, physical=True, held_from=S.DESIGN, label="A-4")


@pytest.mark.parametrize("physical", [True, False])
@pytest.mark.parametrize("held_from", [None, *ACTIVE_STAGES])
def test_terminal_stages_offer_nothing(physical: bool, held_from: Stage | None) -> None:
    for stage in TERMINAL_STAGES:
        assert legal_moves(stage, physical=physical, held_from=held_from) == []
        assert legal_moves(stage, physical=physical, via_move=False) == []


@pytest.mark.parametrize("target", [s for s in Stage if s is not S.DONE])
def test_done_is_final(target: Stage) -> None:
    with pytest.raises(ConflictError, match="A-2 is done"):
        check_move(S.DONE, target, physical=True, label="A-2")


@pytest.mark.parametrize("target", [s for s in Stage if s is not S.CANCELLED])
def test_cancelled_is_never_resumed(target: Stage) -> None:
    with pytest.raises(ConflictError, match="cancelled and can't be resumed"):
        check_move(S.CANCELLED, target, physical=True, held_from=S.DESIGN)


def _reachable(start: Stage, *, physical: bool) -> set[Stage]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in legal_moves(todo.pop(), physical=physical, via_move=False):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_a_printed_asset_can_reach_every_stage_from_brief() -> None:
    assert _reachable(S.BRIEF, physical=True) == set(Stage)


def test_a_digital_asset_never_enters_the_press_stages() -> None:
    assert _reachable(S.BRIEF, physical=False) == set(Stage) - set(PHYSICAL_STAGES)


def test_stage_groups_partition_the_stages() -> None:
    assert set(OPEN_STAGES) | set(TERMINAL_STAGES) == set(Stage)
    assert not set(OPEN_STAGES) & set(TERMINAL_STAGES)
    assert set(ACTIVE_STAGES) == set(OPEN_STAGES) - {S.ON_HOLD}


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("design", S.DESIGN),
        ("  QC ", S.QC),
        ("Prepress", S.PREPRESS),
        ("pre-press", S.PREPRESS),
        ("on hold", S.ON_HOLD),
        ("on-hold", S.ON_HOLD),
        ("ON_HOLD", S.ON_HOLD),
        ("hold", S.ON_HOLD),
        ("canceled", S.CANCELLED),
        ("Manufacturing", S.MANUFACTURING),
    ],
)
def test_parse_stage_accepts_how_people_write_it(text: str, stage: Stage) -> None:
    assert parse_stage(text) is stage


@pytest.mark.parametrize("text", ["", "   ", "printing", "approve", "`x`", "d e s"])
def test_parse_stage_refuses_others_listing_the_stages(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_stage(text)
    message = caught.value.message
    assert message.startswith("`stage:` should be one of: brief, design, review, approved,")
    assert message.count("`") % 2 == 0


TODAY = date(2027, 3, 10)


@pytest.mark.parametrize(
    ("stage", "due", "overdue"),
    [
        (S.DESIGN, date(2027, 3, 9), True),
        (S.QC, date(2026, 1, 1), True),
        (S.DESIGN, TODAY, False),
        (S.DESIGN, date(2027, 3, 11), False),
        (S.DESIGN, None, False),
        (S.DONE, date(2027, 3, 1), False),
        (S.CANCELLED, date(2027, 3, 1), False),
        (S.ON_HOLD, date(2027, 3, 1), False),
    ],
)
def test_is_overdue(stage: Stage, due: date | None, overdue: bool) -> None:
    assert is_overdue(stage, due, TODAY) is overdue
