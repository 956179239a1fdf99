"""Rounds that end without a decision: the asset was cancelled or moved on, or someone
cancelled the round by hand. No Slack here.

A round is asked of an asset in review; when the asset leaves review for anything but a
hold, the round can no longer be decided, so it is cancelled in the same transaction, with
the reason shown on its message. A hold keeps the round open: its reminders pause while
the asset is on hold (``reminders.claim_reminders``) and resume with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.approvals.service import live_request
from bot.assets.service import Change, get_asset, label
from bot.core.errors import ConflictError
from bot.domain.actors import Actor, require_owner_or_coordinator
from bot.domain.approvals import Status
from bot.domain.stages import Stage
from bot.domain.text import bounded
from bot.storage import audit
from bot.storage.approval_models import ApprovalRequest

# Stages an asset with an open round may be in.
_ROUND_STAGES = (Stage.REVIEW.value, Stage.ON_HOLD.value)


def _close(
    session: Session, request: ApprovalRequest, *, actor_id: str, reason: str, now: datetime
) -> ApprovalRequest:
    request.status, request.closed_at, request.close_reason = Status.CANCELLED, now, reason
    audit.record(
        session,
        at=now,
        actor=actor_id,
        entity="asset",
        entity_id=label(request.asset),
        action="round cancelled",
        before={"round": request.round, "status": Status.PENDING.value},
        after={"round": request.round, "status": Status.CANCELLED.value, "reason": reason},
    )
    return request


def follow_stage(
    session: Session, change: Change, *, actor_id: str, now: datetime
) -> ApprovalRequest | None:
    """Cancel the asset's open round if its new stage leaves the round nothing to decide;
    the cancelled round (to redraw), or None."""
    asset = change.asset
    if change.field != "stage" or asset.stage in _ROUND_STAGES:
        return None
    request = live_request(session, asset.id)
    if request is None:
        return None
    if asset.stage == Stage.CANCELLED.value:
        reason = f"{label(asset)} was cancelled"
        if asset.cancel_reason:
            reason += f" ({asset.cancel_reason})"
    else:
        reason = f"{label(asset)} moved to {asset.stage}"
    return _close(session, request, actor_id=actor_id, reason=reason[:300], now=now)


def cancel_round(
    session: Session, *, actor: Actor, asset_id: int, reason: str | None, now: datetime
) -> ApprovalRequest:
    """`/approval cancel A-3 [reason:"…"]`: the owner or a coordinator ends the open round."""
    asset = get_asset(session, asset_id, for_update=True)
    require_owner_or_coordinator(
        actor, asset.owner_id, "cancel the approval round of", label(asset)
    )
    request = live_request(session, asset_id)
    if request is None:
        raise ConflictError(f"{label(asset)} has no open approval round to cancel.")
    why = bounded(reason, "reason:", 'reason:"Brief changed"', limit=200) if reason else None
    return _close(session, request, actor_id=actor.user_id, reason=why or "by hand", now=now)
