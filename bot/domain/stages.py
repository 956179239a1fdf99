"""The stage machine every asset goes through.

Plain moves (``/asset move``, ``/asset hold``, ``/asset cancel``):

==============  ==============================================================
from            to
==============  ==============================================================
brief           design
design          review
review          design (changes requested, or the request is withdrawn)
approved        prepress (physical) / done (not physical), design (late change)
prepress        manufacturing, design (preflight failed: the art is redone)
manufacturing   qc, prepress (the plant rejected the files or the proof)
qc              done, manufacturing (re-press / reprint), prepress (file
                fault), design (wrong copy: tracklist, credits, catalog number)
on_hold         the stage it was held from (``held_from``); brief or design
                when that is unknown
every open      on_hold (except on_hold itself), cancelled
done            nothing: terminal
cancelled       nothing: terminal; a cancelled asset is never resumed
==============  ==============================================================

Physical kinds run ``approved → prepress → manufacturing → qc → done``; other kinds
(social, other) go ``approved → done`` and never enter the physical stages.

``review → approved`` is not a plain move: only the approval flow (every department
approved, or a coordinator's audited override) takes it, with ``via_move=False``; so is
``brief → review``, which an approval request takes.
Resuming a hold placed on an approved asset does return it to ``approved``: that
restores an approval already given rather than granting a new one.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.core.errors import ConflictError, ValidationError


class Stage(StrEnum):
    BRIEF = "brief"
    DESIGN = "design"
    REVIEW = "review"
    APPROVED = "approved"
    PREPRESS = "prepress"
    MANUFACTURING = "manufacturing"
    QC = "qc"
    DONE = "done"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


# Tuples, in stage order, so listings and SQL `IN (...)` clauses are deterministic.
TERMINAL_STAGES: tuple[Stage, ...] = (Stage.DONE, Stage.CANCELLED)
# Not finished: counted as open work and shifted when a release moves; includes on_hold.
OPEN_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s not in TERMINAL_STAGES)
# Work in progress: the stages an asset can be put on hold from and resumed to.
ACTIVE_STAGES: tuple[Stage, ...] = tuple(s for s in OPEN_STAGES if s is not Stage.ON_HOLD)
# Only printed items pass through these.
PHYSICAL_STAGES: tuple[Stage, ...] = (Stage.PREPRESS, Stage.MANUFACTURING, Stage.QC)

_ORDER = {stage: index for index, stage in enumerate(Stage)}

# Forward and back steps between work stages; hold and cancel are added for every
# active stage in `_targets`. `approved` appears only as a source: it is granted by approvals.
_STEPS: dict[Stage, tuple[Stage, ...]] = {
    Stage.BRIEF: (Stage.DESIGN,),
    Stage.DESIGN: (Stage.REVIEW,),
    Stage.REVIEW: (Stage.DESIGN,),
    Stage.APPROVED: (Stage.DESIGN, Stage.PREPRESS, Stage.DONE),
    Stage.PREPRESS: (Stage.DESIGN, Stage.MANUFACTURING),
    Stage.MANUFACTURING: (Stage.PREPRESS, Stage.QC),
    Stage.QC: (Stage.DESIGN, Stage.PREPRESS, Stage.MANUFACTURING, Stage.DONE),
}

# The approval flow adds exactly these steps: a request takes a brief straight to review,
# and the last approval (or a coordinator's override) takes review to approved.
_APPROVAL_STEPS: dict[Stage, tuple[Stage, ...]] = {
    Stage.BRIEF: (Stage.REVIEW,),
    Stage.REVIEW: (Stage.APPROVED,),
}

# A hold whose origin was never recorded resumes at the start of the work, so it cannot
# skip a review it never passed.
_UNKNOWN_RESUME: tuple[Stage, ...] = (Stage.BRIEF, Stage.DESIGN)

_ALIASES = {"canceled": Stage.CANCELLED, "hold": Stage.ON_HOLD, "held": Stage.ON_HOLD}


def _squash(text: str) -> str:
    return "".join(c for c in text.lower() if c not in " -_")


_BY_SQUASHED = {_squash(stage.value): stage for stage in Stage} | _ALIASES


def _stage_list(stages: list[Stage] | tuple[Stage, ...]) -> str:
    return ", ".join(stage.value for stage in stages)


def parse_stage(text: str) -> Stage:
    """``Design``, ``on hold``, ``on-hold`` and ``on_hold`` all name a stage."""
    stage = _BY_SQUASHED.get(_squash(text.strip()))
    if stage is not None:
        return stage
    shown = " ".join(text.split()).replace("`", "'")[:40]
    got = f" (got `{shown}`)" if shown else ""
    raise ValidationError(f"`stage:` should be one of: {_stage_list(tuple(Stage))}{got}.")


def _targets(
    current: Stage, *, physical: bool, held_from: Stage | None, via_move: bool
) -> set[Stage]:
    if current in TERMINAL_STAGES:
        return set()
    if current is Stage.ON_HOLD:
        resume = (held_from,) if held_from in ACTIVE_STAGES else _UNKNOWN_RESUME
        targets = {*resume, Stage.CANCELLED}
    else:
        targets = {*_STEPS[current], Stage.ON_HOLD, Stage.CANCELLED}
        if not via_move:
            targets.update(_APPROVAL_STEPS.get(current, ()))
    if physical:
        # approved -> done skips the press; physical items must go through prepress.
        if current is Stage.APPROVED:
            targets.discard(Stage.DONE)
    else:
        targets.difference_update(PHYSICAL_STAGES)
    return targets


def legal_moves(
    current: Stage,
    *,
    physical: bool,
    held_from: Stage | None = None,
    via_move: bool = True,
) -> list[Stage]:
    """The stages ``current`` may move to, in stage order.

    ``held_from`` matters only for ``on_hold``: the stage the hold was placed from.
    ``via_move=False`` is the approval flow, which alone may reach ``approved``.
    """
    targets = _targets(current, physical=physical, held_from=held_from, via_move=via_move)
    return sorted(targets, key=_ORDER.__getitem__)


def check_move(
    current: Stage,
    target: Stage,
    *,
    physical: bool,
    held_from: Stage | None = None,
    via_move: bool = True,
    label: str | None = None,
) -> None:
    """Raise ConflictError, naming the legal moves, unless ``current → target`` is allowed.

    ``label`` names the asset in the message (``A-3``); without it the message says
    "This asset".
    """
    name = label or "This asset"
    moves = legal_moves(current, physical=physical, held_from=held_from, via_move=via_move)
    if target in moves:
        return
    if current is Stage.DONE:
        raise ConflictError(f"{name} is done; a finished asset doesn't move any more.")
    if current is Stage.CANCELLED:
        raise ConflictError(
            f"{name} is cancelled and can't be resumed; create a new asset instead."
        )
    if target is current:
        where = "on hold" if current is Stage.ON_HOLD else f"in {current.value}"
        raise ConflictError(f"{name} is already {where}.")
    message = (
        f"{name} can't go from {current.value} to {target.value}. "
        f"From {current.value} it can go to: {_stage_list(moves)}."
    )
    if target is Stage.APPROVED and via_move:
        message += (
            " An asset is approved through `/approval request` (or a coordinator's override)."
        )
    elif target in PHYSICAL_STAGES and not physical:
        message += " Only printed items go through prepress, manufacturing and QC."
    raise ConflictError(message)


def is_overdue(stage: Stage, due: date | None, today: date) -> bool:
    """Late and still expected: held items are listed apart, finished ones never count."""
    if due is None or stage in TERMINAL_STAGES or stage is Stage.ON_HOLD:
        return False
    return due < today
