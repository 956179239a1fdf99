"""Assigning a freelancer to an asset; earlier assignments are closed, never deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.assets import service as assets
from bot.core.errors import ConflictError
from bot.domain.actors import Actor, require_owner_or_coordinator
from bot.domain.stages import Stage
from bot.freelancers.directory import resolve
from bot.freelancers.service import current_agreement, label
from bot.storage import audit
from bot.storage.asset_models import Asset
from bot.storage.freelancer_models import Assignment, Freelancer


@dataclass(frozen=True)
class Assigned:
    asset: Asset
    freelancer: Freelancer
    previous: Freelancer | None
    moved_to_design: bool
    # Whether an agreement is in force today; the rate itself stays in the service.
    has_agreement: bool


def _close_open(session: Session, asset: Asset, actor: Actor, now: datetime) -> None:
    for open_one in session.scalars(
        select(Assignment).where(
            Assignment.asset_id == asset.id, Assignment.unassigned_at.is_(None)
        )
    ):
        open_one.unassigned_at, open_one.unassigned_by = now, actor.user_id


def _record_freelancer(
    session: Session,
    actor: Actor,
    asset: Asset,
    before: Freelancer | None,
    after: Freelancer | None,
    now: datetime,
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="asset",
        entity_id=assets.label(asset),
        action="freelancer",
        before={"freelancer": label(before) if before else None},
        after={"freelancer": label(after) if after else None},
    )


def unassign(
    session: Session, *, actor: Actor, asset_id: int, now: datetime
) -> tuple[Asset, Freelancer]:
    """`/asset unassign A-3`: nobody is assigned any more; the assignment stays as history.
    The asset, and the freelancer who was on it."""
    asset = assets.get_asset(session, asset_id, for_update=True)
    require_owner_or_coordinator(
        actor, asset.owner_id, "unassign the freelancer of", assets.label(asset)
    )
    previous = asset.freelancer
    if previous is None:
        raise ConflictError(f"{assets.label(asset)} has no freelancer assigned.")
    _close_open(session, asset, actor, now)
    asset.freelancer, asset.updated_at = None, now
    _record_freelancer(session, actor, asset, previous, None, now)
    return asset, previous


def assign(
    session: Session,
    *,
    actor: Actor,
    asset_id: int,
    freelancer_ref: str,
    now: datetime,
    today: date,
) -> Assigned:
    asset = assets.get_asset(session, asset_id, for_update=True)
    require_owner_or_coordinator(
        actor, asset.owner_id, "assign a freelancer to", assets.label(asset)
    )
    if asset.stage in assets.CLOSED:
        raise ConflictError(f"{assets.label(asset)} is {asset.stage}; it can't be assigned.")
    freelancer = resolve(session, freelancer_ref, active_only=True)
    previous = asset.freelancer
    if previous is not None and previous.id == freelancer.id:
        raise ConflictError(f"{assets.label(asset)} is already assigned to {label(freelancer)}.")
    _close_open(session, asset, actor, now)
    session.add(
        Assignment(asset=asset, freelancer=freelancer, assigned_by=actor.user_id, assigned_at=now)
    )
    asset.freelancer = freelancer
    asset.updated_at = now
    _record_freelancer(session, actor, asset, previous, freelancer, now)
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="freelancer",
        entity_id=label(freelancer),
        action="assign",
        after={"asset": assets.label(asset)},
    )
    moved = asset.stage == Stage.BRIEF.value
    if moved:
        # Someone is now working on it: the brief is over.
        assets.change_stage(session, asset, Stage.DESIGN, actor_id=actor.user_id, now=now)
    return Assigned(
        asset=asset,
        freelancer=freelancer,
        previous=previous,
        moved_to_design=moved,
        has_agreement=current_agreement(freelancer.agreements, today) is not None,
    )
