"""A person's worth of work in bulk, for the App Home's query-count test and its benchmark:
assets they own (some late, some in a release, some assigned) and rounds waiting on their
department. Inserted in a few statements, so 200 assets take milliseconds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.release_models import Release

CREATED = datetime(2026, 11, 1, tzinfo=UTC)


def add_home_load(
    session: Session, *, owner: str, dept_key: str, assets: int, pending: int, today: date
) -> list[int]:
    """``assets`` assets owned by ``owner`` (every third late, half in a release out within a
    month) and ``pending`` rounds on the first of them waiting on ``dept_key`` and legal (so a
    decision of ``dept_key`` alone leaves the round open); their ids."""
    release = Release(
        catno=f"BULK-{owner}-{assets}-{pending}",
        channel_id="C0BULK",
        title="Bulk",
        artist="The Vels",
        formats="cd,vinyl",
        street_date=today + timedelta(days=20),
        created_by=owner,
        created_at=CREATED,
        updated_at=CREATED,
    )
    session.add(release)
    session.flush()
    rows = [
        {
            "title": f"Asset {n}",
            "kind": "poster" if n % 2 else "jacket",
            "stage": "review" if n < pending else "design",
            "owner_id": owner,
            "priority": "normal",
            "due": today + timedelta(days=(n % 30) - 10 if n % 3 == 0 else n % 40 + 1),
            "release_id": release.id if n % 2 == 0 else None,
            "created_by": owner,
            "created_at": CREATED,
            "updated_at": CREATED,
        }
        for n in range(assets)
    ]
    before = session.scalar(select(func.max(Asset.id))) or 0
    session.execute(insert(Asset), rows)
    ids = list(session.scalars(select(Asset.id).where(Asset.id > before).order_by(Asset.id)))
    requests = [
        {
            "asset_id": asset_id,
            "round": 1,
            "status": "pending",
            "requested_by": owner,
            "requested_at": CREATED + timedelta(minutes=n),
            # No thread message: a decision then redraws the Homes alone, as the load wants.
            "channel_id": None,
            "message_ts": None,
        }
        for n, asset_id in enumerate(ids[:pending])
    ]
    if requests:
        session.execute(insert(ApprovalRequest), requests)
        request_ids = session.scalars(
            select(ApprovalRequest.id).where(ApprovalRequest.asset_id.in_(ids[:pending]))
        )
        steps = [
            {"request_id": rid, "department_key": key, "position": n, "status": "pending"}
            for rid in request_ids
            for n, key in enumerate((dept_key, "legal"))
        ]
        session.execute(insert(ApprovalStep), steps)
    return ids
