"""What a digest says: overdue, due soon, waiting on approval, on hold. No Slack here.

Every section is one query whatever the data size (joins instead of lazy loads, window
functions for totals and per-person cuts), so a digest over 10,000 late assets costs the
same handful of round trips as one over ten. Only the rows a message can show are fetched;
the rest are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import Session

from bot.domain.stages import ACTIVE_STAGES, Stage
from bot.proofs.reference import TEXT_BEARING
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.department_models import Department
from bot.storage.freelancer_models import Freelancer
from bot.storage.labelcopy_models import LabelCopy
from bot.storage.release_models import Release

DUE_SOON_DAYS = 7
# More rows than any message can show; the views cut to Block Kit's limits.
ROWS_PER_SECTION = 100
_ACTIVE = [stage.value for stage in ACTIVE_STAGES]


@dataclass(frozen=True)
class DigestItem:
    asset_id: int
    title: str
    kind: str
    stage: str
    due: date
    owner_id: str | None
    release_id: int | None
    release_catno: str | None
    release_title: str | None
    freelancer_user_id: str | None = None
    freelancer_name: str | None = None
    priority: str = "normal"


@dataclass(frozen=True)
class WaitingApproval:
    asset_id: int
    asset_title: str
    department: str
    requested_at: datetime


@dataclass(frozen=True)
class UnlockedCopy:
    """A release whose text-bearing art is in review against label copy nobody has locked."""

    catno: str
    title: str
    in_review: int


@dataclass(frozen=True)
class Section:
    items: Sequence[Any] = ()
    total: int = 0  # how many exist, shown or not


@dataclass(frozen=True)
class DigestContent:
    day: date  # the digest's local date: "today" for lateness and due-soon
    now: datetime
    overdue: Section = field(default_factory=Section)
    due_soon: Section = field(default_factory=Section)
    waiting: Section = field(default_factory=Section)
    on_hold: int = 0
    copy_unlocked: Section = field(default_factory=Section)

    @property
    def all_clear(self) -> bool:
        return not (
            self.overdue.total
            or self.due_soon.total
            or self.waiting.total
            or self.copy_unlocked.total
        )


@dataclass(frozen=True)
class PersonalDigest:
    user_id: str
    day: date
    overdue: Section
    due_soon: Section


# --- the freelancer of an asset ---------------------------------------------------------


def _items_query(*where: ColumnElement[bool]) -> Select[Any]:
    query = (
        select(
            Asset.id.label("asset_id"),
            Asset.title,
            Asset.kind,
            Asset.stage,
            Asset.due,
            Asset.owner_id,
            Asset.priority,
            Asset.release_id,
            Release.catno.label("release_catno"),
            Release.title.label("release_title"),
        )
        .outerjoin(Release, Release.id == Asset.release_id)
        .outerjoin(Freelancer, Freelancer.id == Asset.freelancer_id)
        .add_columns(
            Freelancer.slack_user_id.label("freelancer_user_id"),
            Freelancer.name.label("freelancer_name"),
        )
        .where(Asset.stage.in_(_ACTIVE), *where)
    )
    return query


def _item(row: Any) -> DigestItem:
    return DigestItem(
        asset_id=row.asset_id,
        title=row.title,
        kind=row.kind,
        stage=row.stage,
        due=row.due,
        owner_id=row.owner_id,
        release_id=row.release_id,
        release_catno=row.release_catno,
        release_title=row.release_title,
        freelancer_user_id=row.freelancer_user_id,
        freelancer_name=row.freelancer_name,
        priority=row.priority,
    )


def _section(session: Session, query: Select[Any], limit: int) -> Section:
    """The first ``limit`` rows and the total, in one query (the total rides on each row)."""
    rows = session.execute(query.add_columns(func.count().over().label("total")).limit(limit))
    fetched = rows.all()
    return Section(
        items=tuple(_item(row) for row in fetched), total=fetched[0].total if fetched else 0
    )


def _soon(day: date) -> ColumnElement[bool]:
    return and_(Asset.due >= day, Asset.due <= day + timedelta(days=DUE_SOON_DAYS))


# --- the channel digest -----------------------------------------------------------------


def overdue(session: Session, day: date, *, limit: int = ROWS_PER_SECTION) -> Section:
    """Late and still expected, most late first (on-hold items are counted apart)."""
    query = _items_query(Asset.due < day).order_by(Asset.due, Asset.id)
    return _section(session, query, limit)


def due_soon(session: Session, day: date, *, limit: int = ROWS_PER_SECTION) -> Section:
    query = _items_query(_soon(day)).order_by(Asset.due, Asset.id)
    return _section(session, query, limit)


def on_hold_count(session: Session) -> int:
    query = select(func.count(Asset.id)).where(Asset.stage == Stage.ON_HOLD.value)
    return session.scalar(query) or 0


def pending_approvals(session: Session, *, limit: int = ROWS_PER_SECTION) -> Section:
    """Departments still to decide on an open approval round, oldest request first.

    The approvals feature owns these tables and the meaning of "pending"; this is the one
    place the digest reads them.
    """
    query = (
        select(
            Asset.id,
            Asset.title,
            Department.name,
            ApprovalRequest.requested_at,
            func.count().over().label("total"),
        )
        .select_from(ApprovalStep)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalStep.request_id)
        .join(Asset, Asset.id == ApprovalRequest.asset_id)
        .join(Department, Department.key == ApprovalStep.department_key)
        .where(
            ApprovalRequest.status == "pending",
            ApprovalStep.status == "pending",
            # A held asset's round waits on nobody: it is counted under On hold.
            Asset.stage != Stage.ON_HOLD.value,
        )
        .order_by(ApprovalRequest.requested_at, Asset.id, ApprovalStep.position)
        .limit(limit)
    )
    rows = session.execute(query).all()
    items = tuple(WaitingApproval(r[0], r[1], r[2], r[3]) for r in rows)
    return Section(items=items, total=rows[0].total if rows else 0)


def copy_unlocked(session: Session, *, limit: int = ROWS_PER_SECTION) -> Section:
    """Releases whose back cover, booklet, labels… are in review while their label copy is
    not locked: what the art is checked against may still change. Soonest street date first."""
    locked = select(LabelCopy.release_id).where(LabelCopy.locked_at.is_not(None))
    query = (
        select(
            Release.catno,
            Release.title,
            func.count(Asset.id).label("in_review"),
            func.count().over().label("total"),
        )
        .join(Asset, Asset.release_id == Release.id)
        .where(
            Asset.stage == Stage.REVIEW.value,
            Asset.kind.in_(sorted(TEXT_BEARING)),
            Release.cancelled_at.is_(None),
            Release.id.not_in(locked),
        )
        .group_by(Release.id, Release.catno, Release.title, Release.street_date)
        .order_by(Release.street_date, Release.id)
        .limit(limit)
    )
    rows = session.execute(query).all()
    items = tuple(UnlockedCopy(r.catno, r.title, r.in_review) for r in rows)
    return Section(items=items, total=rows[0].total if rows else 0)


def build_digest(session: Session, *, day: date, now: datetime) -> DigestContent:
    """The channel digest of local ``day``: five sections, six queries."""
    return DigestContent(
        day=day,
        now=now,
        overdue=overdue(session, day),
        due_soon=due_soon(session, day),
        waiting=pending_approvals(session),
        on_hold=on_hold_count(session),
        copy_unlocked=copy_unlocked(session),
    )


# --- personal digests -------------------------------------------------------------------


def build_personal(
    session: Session, *, user_ids: Sequence[str], day: date, limit: int = ROWS_PER_SECTION
) -> list[PersonalDigest]:
    """Each person's own overdue and due-soon items — assets they own or are assigned to as
    a freelancer — for everyone in one query.

    People with nothing late or due soon get no digest at all.
    """
    if not user_ids:
        return []
    people, soon = list(user_ids), Asset.due <= day + timedelta(days=DUE_SOON_DAYS)
    owned = _items_query(Asset.owner_id.in_(people), soon).add_columns(
        Asset.owner_id.label("person")
    )
    assigned = _items_query(
        Freelancer.slack_user_id.in_(people),
        or_(Asset.owner_id.is_(None), Asset.owner_id != Freelancer.slack_user_id),
        soon,
    ).add_columns(Freelancer.slack_user_id.label("person"))
    items = union_all(owned, assigned).subquery("items")
    late = case((items.c.due < day, 1), else_=0)
    group = (items.c.person, late)
    ranked = select(
        items,
        late.label("late"),
        func.row_number()
        .over(partition_by=group, order_by=(items.c.due, items.c.asset_id))
        .label("position"),
        func.count().over(partition_by=group).label("total"),
    ).subquery("ranked")
    rows = session.execute(
        select(ranked)
        .where(ranked.c.position <= limit)
        .order_by(ranked.c.person, ranked.c.late.desc(), ranked.c.position)
    ).all()
    found: dict[str, dict[int, list[Any]]] = {}
    for row in rows:
        found.setdefault(row.person, {0: [], 1: []})[row.late].append(row)
    digests = []
    for user_id in user_ids:
        groups = found.get(user_id)
        if groups is None:
            continue
        sections = {
            late: Section(
                items=tuple(_item(r) for r in rows_), total=rows_[0].total if rows_ else 0
            )
            for late, rows_ in groups.items()
        }
        digests.append(PersonalDigest(user_id, day, overdue=sections[1], due_soon=sections[0]))
    return digests
