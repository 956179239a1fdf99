"""Approval rounds: request, decide, override, remind. No Slack here.

Every guarantee is the database's: a decider first bumps the request's ``version`` with a
conditional update (a row lock on PostgreSQL, the write lock on SQLite), so deciders of one
round run one after another; a step leaves ``pending`` through a conditional update at most
once; the round completes through a conditional update at most once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from bot.assets.service import change_stage, label
from bot.core.errors import ConflictError, PermissionDenied, ValidationError, echo
from bot.departments.service import (
    DepartmentView,
    GroupLookup,
    list_departments,
    require_member,
)
from bot.domain.actors import Actor, require_coordinator
from bot.domain.approvals import Decision, Status
from bot.domain.stages import Stage
from bot.storage import audit
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset

MAX_REASON = 2000


@dataclass(frozen=True)
class Decided:
    request: ApprovalRequest
    step: ApprovalStep
    completed: bool  # this decision approved the whole round
    changes: bool  # this decision closed the round with changes requested


def round_label(request: ApprovalRequest) -> str:
    return f"A-{request.asset_id} round {request.round}"


def _load(session: Session, request_id: int) -> ApprovalRequest | None:
    # The asset and its release come in the same statement: a decision reads both (its
    # stage, its home thread), and each lazy load would be a round trip of its own.
    return session.scalar(
        select(ApprovalRequest)
        .where(ApprovalRequest.id == request_id)
        .options(
            selectinload(ApprovalRequest.steps),
            joinedload(ApprovalRequest.asset).joinedload(Asset.release),
        )
        .execution_options(populate_existing=True)
    )


def _require_decider(
    session: Session,
    actor: Actor,
    dept_key: str,
    groups: GroupLookup | None,
    depts: Mapping[str, DepartmentView] | None,
) -> None:
    known = depts if depts is not None else {d.key: d for d in list_departments(session)}
    dept = known.get(dept_key)
    if dept is None:
        raise PermissionDenied("That department no longer exists; nothing was recorded.")
    require_member(dept, actor.user_id, groups)


def _closed_reason(request: ApprovalRequest) -> str:
    return {
        Status.SUPERSEDED: f"{round_label(request)} was replaced by a newer round",
        Status.APPROVED: f"{round_label(request)} is already approved",
        Status.CHANGES_REQUESTED: f"{round_label(request)} was closed with changes requested",
        Status.CANCELLED: f"{round_label(request)} was cancelled",
    }.get(Status(request.status), f"{round_label(request)} is closed")


def decide(
    session: Session,
    *,
    actor: Actor,
    request_id: int,
    dept_key: str,
    decision: Decision,
    reason: str | None,
    now: datetime,
    groups: GroupLookup | None = None,
    message: tuple[str, str] | None = None,
    override: bool = False,
    depts: Mapping[str, DepartmentView] | None = None,
) -> Decided:
    """Record one department's decision, by a member of that department (``groups`` says who
    is in a Slack user group), or by a coordinator's override. ``depts`` is the roster, when
    the caller has read it in this transaction."""
    if not override:
        _require_decider(session, actor, dept_key, groups, depts)
    if decision is Decision.CHANGES and not (reason and reason.strip()):
        raise ValidationError("Say what needs to change.")
    if reason and len(reason) > MAX_REASON:
        raise ValidationError(f"Keep the reason under {MAX_REASON} characters.")
    request, step = _open_step(session, request_id, dept_key, message)
    asset = request.asset
    status = Status.APPROVED if decision is Decision.APPROVE else Status.CHANGES_REQUESTED
    decided = {
        "status": status,
        "decided_by": actor.user_id,
        "decided_at": now,
        "reason": reason.strip() if reason else None,
        "override": override,
    }
    _record_step(session, step, decided)
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="approval",
        entity_id=round_label(request),
        action="override" if override else decision.value,
        after={"department": dept_key, "reason": step.reason},
    )
    completed = changes = False
    if decision is Decision.CHANGES:
        request.status, request.closed_at = Status.CHANGES_REQUESTED, now
        change_stage(session, asset, Stage.DESIGN, actor_id=actor.user_id, now=now)
        changes = True
    elif not any(s.status == Status.PENDING for s in request.steps):
        request.status, request.closed_at = Status.APPROVED, now
        change_stage(
            session, asset, Stage.APPROVED, actor_id=actor.user_id, now=now, via_move=False
        )
        completed = True
    return Decided(request, step, completed, changes)


def _open_step(
    session: Session, request_id: int, dept_key: str, message: tuple[str, str] | None
) -> tuple[ApprovalRequest, ApprovalStep]:
    """The round, claimed for this decision, and the department's step in it; a refusal
    when the round is closed, the button names another message, or the asset is paused."""
    claimed = session.execute(
        update(ApprovalRequest)
        .where(ApprovalRequest.id == request_id, ApprovalRequest.status == Status.PENDING)
        .values(version=ApprovalRequest.version + 1)
    )
    request = _load(session, request_id)
    if request is None:
        raise ConflictError("That approval request doesn't exist.")
    if message is not None and (request.channel_id, request.message_ts) != message:
        raise PermissionDenied("That button doesn't belong to this message; nothing was recorded.")
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"Nothing recorded: {_closed_reason(request)}.")
    step = next((s for s in request.steps if s.department_key == dept_key), None)
    if step is None:
        raise ConflictError(f"{round_label(request)} doesn't ask {echo(dept_key)} to decide.")
    asset = request.asset
    if asset.stage in (Stage.CANCELLED.value, Stage.ON_HOLD.value):
        raise ConflictError(
            f"{label(asset)} is {asset.stage.replace('_', ' ')}; decisions wait until it is resumed."
        )
    return request, step


def _record_step(session: Session, step: ApprovalStep, decided: dict[str, object]) -> None:
    """A step leaves pending once: a conditional update, so a second decider finds it taken."""
    won = session.execute(
        update(ApprovalStep)
        .where(ApprovalStep.id == step.id, ApprovalStep.status == Status.PENDING)
        .values(**decided)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(step)
        raise ConflictError(
            f"Already decided for {step.department_key}: {step.status.replace('_', ' ')} "
            f"by <@{step.decided_by}>. Nothing changed."
        )
    # The row now holds exactly what was written: no need to read it back.
    for key, value in decided.items():
        set_committed_value(step, key, value)


def override(
    session: Session, *, actor: Actor, asset_id: int, dept_key: str, reason: str, now: datetime
) -> Decided:
    require_coordinator(actor, "override approvals")
    if not reason.strip():
        raise ValidationError('An override needs a reason, e.g. reason:"Signed off by phone".')
    request = live_request(session, asset_id)
    if request is None:
        raise ConflictError(f"A-{asset_id} has no pending approval round to override.")
    return decide(
        session,
        actor=actor,
        request_id=request.id,
        dept_key=dept_key,
        decision=Decision.APPROVE,
        reason=reason,
        now=now,
        override=True,
    )


def live_request(session: Session, asset_id: int) -> ApprovalRequest | None:
    return session.scalar(
        select(ApprovalRequest)
        .where(ApprovalRequest.asset_id == asset_id, ApprovalRequest.status == Status.PENDING)
        .options(selectinload(ApprovalRequest.steps))
    )


def rounds_of(session: Session, asset_id: int, limit: int = 5) -> list[ApprovalRequest]:
    """An asset's latest rounds with their steps, newest first."""
    return list(
        session.scalars(
            select(ApprovalRequest)
            .where(ApprovalRequest.asset_id == asset_id)
            .order_by(ApprovalRequest.round.desc())
            .limit(limit)
            .options(selectinload(ApprovalRequest.steps))
        )
    )


def latest_request(session: Session, asset_id: int) -> ApprovalRequest | None:
    return session.scalar(
        select(ApprovalRequest)
        .where(ApprovalRequest.asset_id == asset_id)
        .order_by(ApprovalRequest.round.desc())
        .limit(1)
        .options(selectinload(ApprovalRequest.steps))
    )


def get_request(session: Session, request_id: int) -> ApprovalRequest | None:
    return _load(session, request_id)


def pending_requests(session: Session, *, limit: int) -> tuple[list[ApprovalRequest], int]:
    """Pending rounds, oldest first, with their steps and assets, and how many in all."""
    rows = session.scalars(
        select(ApprovalRequest)
        .where(ApprovalRequest.status == Status.PENDING)
        .order_by(ApprovalRequest.requested_at, ApprovalRequest.id)
        .limit(limit)
        .options(selectinload(ApprovalRequest.steps), selectinload(ApprovalRequest.asset))
    ).all()
    total = session.scalar(
        select(func.count(ApprovalRequest.id)).where(ApprovalRequest.status == Status.PENDING)
    )
    return list(rows), total or 0


def record_message(session: Session, request_id: int, channel_id: str, ts: str) -> None:
    request = session.get(ApprovalRequest, request_id)
    if request is not None:
        request.channel_id, request.message_ts = channel_id, ts
