"""Opening an approval round: by request, or again on a new proof version. No Slack here.

A round names the proof version it approves (the latest by default). A new proof shared
while a round is pending supersedes that round with one on the new version, asking the
same departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.assets.service import change_stage, get_asset, label
from bot.core.errors import ConflictError, ValidationError, echo
from bot.departments.service import DepartmentView, list_departments
from bot.domain.actors import Actor, require_owner_or_coordinator
from bot.domain.approvals import Status
from bot.domain.catalog import KINDS
from bot.domain.stages import Stage
from bot.storage import audit
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.department_models import Route
from bot.storage.proof_models import Proof

MAX_NOTE = 2000
REQUESTABLE = (Stage.BRIEF.value, Stage.DESIGN.value, Stage.REVIEW.value)


@dataclass(frozen=True)
class Requested:
    request: ApprovalRequest
    superseded: ApprovalRequest | None


def route_for(session: Session, kind: str) -> list[str]:
    return list(
        session.scalars(
            select(Route.department_key).where(Route.kind == kind).order_by(Route.position)
        )
    )


def _departments(session: Session, keys: list[str]) -> list[DepartmentView]:
    known = {dept.key: dept for dept in list_departments(session)}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError(
            f"There is no department {echo(unknown[0])}. Known: {', '.join(known)}."
        )
    empty = [known[key] for key in keys if not known[key].members and not known[key].usergroup_id]
    if empty:
        dept = empty[0]
        raise ConflictError(
            f"{dept.name} has no members yet, so nobody could approve for it. A coordinator "
            f"adds them with `/dept set {dept.key} members:@a,@b` (or `group:@team`)."
        )
    return [known[key] for key in keys]


def _asked(session: Session, asset: Asset, depts: list[str] | None) -> list[DepartmentView]:
    """The departments a new round asks: those named, or the kind's route."""
    keys = depts if depts is not None else route_for(session, asset.kind)
    if not keys:
        raise ValidationError(
            f"{KINDS[asset.kind].label} has no approval route; name the departments, "
            f"e.g. `/approval request {label(asset)} depts:marketing,legal`."
        )
    return _departments(session, list(dict.fromkeys(keys)))


def _skipped(session: Session, asset: Asset, asked: list[DepartmentView]) -> list[str]:
    """The departments on the kind's route that a round does not ask."""
    keys = {dept.key for dept in asked}
    return [key for key in route_for(session, asset.kind) if key not in keys]


def _supersede_live(session: Session, asset_id: int, now: datetime) -> ApprovalRequest | None:
    live = session.scalar(
        select(ApprovalRequest).where(
            ApprovalRequest.asset_id == asset_id, ApprovalRequest.status == Status.PENDING
        )
    )
    if live is not None:
        live.status, live.closed_at = Status.SUPERSEDED, now
        session.flush()  # the live-round index must see it closed before the new one
    return live


def proof_for(session: Session, asset: Asset, version: int | None) -> Proof | None:
    """The proof version a round approves: the one named, else the latest (or none)."""
    query = select(Proof).where(Proof.asset_id == asset.id)
    if version is None:
        return session.scalar(query.order_by(Proof.version.desc()).limit(1))
    proof = session.scalar(query.where(Proof.version == version))
    if proof is None:
        have = [
            f"v{v}"
            for v in session.scalars(
                select(Proof.version).where(Proof.asset_id == asset.id).order_by(Proof.version)
            )
        ]
        known = f"its proofs: {', '.join(have)}" if have else "it has no proofs yet"
        raise ValidationError(f"{label(asset)} has no proof v{version}; {known}.")
    return proof


@dataclass(frozen=True)
class RoundSpec:
    """What a new round asks, besides the asset."""

    departments: list[DepartmentView]
    due: date | None
    note: str | None
    proof: Proof | None


def _open_round(
    session: Session, *, actor: Actor, asset: Asset, spec: RoundSpec, now: datetime
) -> Requested:
    skipped = _skipped(session, asset, spec.departments)
    live = _supersede_live(session, asset.id, now)
    last_round = session.scalar(
        select(func.max(ApprovalRequest.round)).where(ApprovalRequest.asset_id == asset.id)
    )
    request = ApprovalRequest(
        asset=asset,
        round=(last_round or 0) + 1,
        status=Status.PENDING,
        requested_by=actor.user_id,
        requested_at=now,
        due=spec.due,
        note=spec.note.strip() if spec.note and spec.note.strip() else None,
        skipped=",".join(skipped)[:300] or None,
        proof=spec.proof,
        version=0,
        steps=[
            ApprovalStep(department_key=dept.key, position=n, status=Status.PENDING, override=False)
            for n, dept in enumerate(spec.departments)
        ],
    )
    session.add(request)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"Someone else just requested approval for {label(asset)}.") from None
    if asset.stage != Stage.REVIEW:
        change_stage(session, asset, Stage.REVIEW, actor_id=actor.user_id, now=now, via_move=False)
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="approval",
        entity_id=f"A-{asset.id} round {request.round}",
        action="request",
        after={
            "departments": [d.key for d in spec.departments],
            "due": audit.jsonable(spec.due),
            "note": request.note,
            "proof": spec.proof.label if spec.proof else None,
            "supersedes": live.round if live is not None else None,
        },
    )
    return Requested(request, live)


def request_approval(
    session: Session,
    *,
    actor: Actor,
    asset_id: int,
    depts: list[str] | None,
    due: date | None,
    note: str | None,
    now: datetime,
    proof_version: int | None = None,
) -> Requested:
    asset = get_asset(session, asset_id, for_update=True)
    require_owner_or_coordinator(actor, asset.owner_id, "request approval for", label(asset))
    if asset.stage not in REQUESTABLE:
        raise ConflictError(
            f"{label(asset)} is {asset.stage}; approval can be requested in brief, design or review."
        )
    if note and len(note) > MAX_NOTE:
        raise ValidationError(f"`note:` is {len(note)} characters; keep it under {MAX_NOTE}.")
    spec = RoundSpec(
        _asked(session, asset, depts), due, note, proof_for(session, asset, proof_version)
    )
    return _open_round(session, actor=actor, asset=asset, spec=spec, now=now)


def reopen_on_proof(
    session: Session, *, actor: Actor, asset: Asset, proof: Proof, now: datetime
) -> Requested | None:
    """A new proof while a round is pending: the same departments asked again, on it.
    Whoever may add a proof may do this; the caller has checked that."""
    live = session.scalar(
        select(ApprovalRequest).where(
            ApprovalRequest.asset_id == asset.id, ApprovalRequest.status == Status.PENDING
        )
    )
    if live is None or live.proof_id == proof.id:
        return None
    known = {dept.key: dept for dept in list_departments(session)}
    asked = [known[s.department_key] for s in live.steps if s.department_key in known]
    spec = RoundSpec(asked, live.due, live.note, proof)
    return _open_round(session, actor=actor, asset=asset, spec=spec, now=now)
