"""Which pending rounds get today's reminder: each claimed once a day, across replicas."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.approvals.service import get_request
from bot.domain.approvals import Status
from bot.domain.stages import Stage
from bot.storage.approval_models import ApprovalRequest
from bot.storage.asset_models import Asset


def claim_reminders(
    session: Session, *, now: datetime, today: date, remind_after: timedelta
) -> list[ApprovalRequest]:
    """Pending rounds older than ``remind_after`` not yet reminded today, each claimed by a
    conditional update so two replicas never remind the same round twice in a day. A round
    of an asset on hold is not reminded until the asset resumes."""
    due = session.scalars(
        select(ApprovalRequest.id)
        .join(Asset, Asset.id == ApprovalRequest.asset_id)
        .where(
            ApprovalRequest.status == Status.PENDING,
            Asset.stage != Stage.ON_HOLD.value,
            ApprovalRequest.requested_at <= now - remind_after,
            (ApprovalRequest.reminded_on.is_(None)) | (ApprovalRequest.reminded_on < today),
        )
    ).all()
    claimed = []
    for request_id in due:
        won = session.execute(
            update(ApprovalRequest)
            .where(
                ApprovalRequest.id == request_id,
                (ApprovalRequest.reminded_on.is_(None)) | (ApprovalRequest.reminded_on < today),
            )
            .values(reminded_on=today)
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            request = get_request(session, request_id)
            if request is not None:
                claimed.append(request)
    return claimed
