"""What a digest says: street dates at risk, overdue, due soon, waiting on approval, label
copy still unlocked, on hold. No Slack here.

Every section is one query whatever the data size (joins instead of lazy loads, window
functions for totals and per-person cuts), so a digest over 10,000 late assets costs the
same handful of round trips as one over ten. Only the rows a message can show are fetched;
the rest are counted. Hence late work is ranked by float (``domain/critical_path``) in SQL:
in Python every late row would be fetched, as no cheaper order bounds float.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal_column, null, or_, select
from sqlalchemy.orm import Session

from bot.digests.conditions import open_conditions
from bot.digests.invoices import late_invoices
from bot.digests.queries import (  # re-exported: the digest's callers import them from here
    DUE_SOON_DAYS,
    ROWS_PER_SECTION,
    DigestItem,
    Section,
    days_from,
    digest_item,
    due_soon_window,
    first_rows,
    float_days,
    found,
    items_query,
    remaining_days,
)
from bot.domain import critical_path, templates
from bot.domain.critical_path import StageDays
from bot.domain.stages import TERMINAL_STAGES, Stage
from bot.proofs.reference import TEXT_BEARING
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.department_models import Department
from bot.storage.freelancer_models import Freelancer
from bot.storage.labelcopy_models import LabelCopy
from bot.storage.release_models import Release

__all__ = ["DUE_SOON_DAYS", "ROWS_PER_SECTION", "DigestItem", "Section"]
_TERMINAL = [stage.value for stage in TERMINAL_STAGES]


@dataclass(frozen=True)
class StreetDateAtRisk:  # a release, by its open asset that needs the most days
    catno: str
    title: str
    asset_id: int
    asset_title: str
    needs: int
    left: int


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
class DigestContent:
    day: date  # the digest's local date: "today" for lateness and due-soon
    now: datetime
    overdue: Section = field(default_factory=Section)
    due_soon: Section = field(default_factory=Section)
    waiting: Section = field(default_factory=Section)
    on_hold: int = 0
    copy_unlocked: Section = field(default_factory=Section)
    at_risk: Section = field(default_factory=Section)

    @property
    def all_clear(self) -> bool:
        sections = (self.at_risk, self.overdue, self.due_soon, self.waiting, self.copy_unlocked)
        return not any(section.total for section in sections)


@dataclass(frozen=True)
class PersonalDigest:
    user_id: str
    day: date
    overdue: Section = field(default_factory=Section)
    due_soon: Section = field(default_factory=Section)
    # Unpaid invoices past due (``digests.invoices.LateInvoice``): coordinators and
    # management only, as they carry amounts.
    invoices: Section = field(default_factory=Section)
    # Open conditions on the person's assets (``digests.conditions.OpenCondition``).
    conditions: Section = field(default_factory=Section)


# --- the channel digest -----------------------------------------------------------------


def overdue(
    session: Session, day: date, days: StageDays, *, limit: int = ROWS_PER_SECTION
) -> Section:
    """Late and still expected, least float first, then by due date (on-hold items are
    counted apart): late art for a release months away waits behind a street date at risk."""
    float_ = float_days(session, day, days)
    by_float = literal_column("float_days")  # the selected column: its expression sent once
    query = items_query(float_, Asset.due < day).order_by(by_float, Asset.due, Asset.id)
    return first_rows(session, query, limit)


def due_soon(session: Session, day: date, *, limit: int = ROWS_PER_SECTION) -> Section:
    query = items_query(null(), due_soon_window(day)).order_by(Asset.due, Asset.id)  # float unused
    return first_rows(session, query, limit)


def street_dates_at_risk(
    session: Session, day: date, days: StageDays, *, limit: int = ROWS_PER_SECTION
) -> Section:
    """Releases to come (not cancelled) with an open asset whose remaining stages need more
    days than are left to the street date; each named by its worst asset, worst first."""
    needs, left = remaining_days(days), days_from(session, day, Release.street_date)
    worst, near = (needs.desc(), Asset.id), day + timedelta(days=critical_path.most_days(days))
    risky = (
        select(
            Release.catno,
            Release.title,
            Asset.id.label("asset_id"),
            Asset.title.label("asset_title"),
            needs.label("needs"),
            left.label("left"),
            func.row_number().over(partition_by=Release.id, order_by=worst).label("rank"),
        )
        .join(Asset, Asset.release_id == Release.id)
        .where(
            # Open (held too: still owed). NOT IN, so the plan starts from the few releases
            # near enough to be missed (street date index), not from every open asset.
            Asset.stage.not_in(_TERMINAL),
            Release.cancelled_at.is_(None),
            Release.street_date.between(day + timedelta(days=1), near),
            needs > left,
        )
        .subquery("risky")
    )
    r = risky.c
    query = (
        select(r, func.count().over().label("total"))
        .where(r.rank == 1)
        .order_by(r.left - r.needs, r.left, r.catno)  # least float, then soonest
        .limit(limit)
    )
    return found(session.execute(query).all(), lambda r: StreetDateAtRisk(*r[:6]))


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
    return found(session.execute(query).all(), lambda r: WaitingApproval(*r[:4]))


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
    return found(session.execute(query).all(), lambda r: UnlockedCopy(*r[:3]))


def build_digest(
    session: Session, *, day: date, now: datetime, stage_days: StageDays | None = None
) -> DigestContent:
    """The channel digest of local ``day``: six sections, six queries."""
    days = stage_days or templates.stage_days(None)  # the shipped ones, when not given
    return DigestContent(
        day=day,
        now=now,
        overdue=overdue(session, day, days),
        due_soon=due_soon(session, day),
        waiting=pending_approvals(session),
        on_hold=on_hold_count(session),
        copy_unlocked=copy_unlocked(session),
        at_risk=street_dates_at_risk(session, day, days),
    )


# --- personal digests -------------------------------------------------------------------


def build_personal(
    session: Session,
    *,
    user_ids: Sequence[str],
    day: date,
    limit: int = ROWS_PER_SECTION,
    stage_days: StageDays | None = None,
    invoices: bool = False,
    conditions: bool = False,
) -> list[PersonalDigest]:
    """Each person's own overdue (least float first, as in the channel) and due-soon items —
    assets they own or are assigned to as a freelancer — for everyone in one query. With
    ``invoices``, coordinators and management also get the unpaid invoices past due (two
    more queries, however many people or invoices).

    With ``conditions``, owners also get their assets' open conditions (one more query).
    People with nothing late, due soon, (for purchasers) overdue to pay or to do get no digest.
    """
    if not user_ids:
        return []
    bills = late_invoices(session, user_ids, day, limit=limit) if invoices else {}
    to_do = open_conditions(session, user_ids, limit=limit) if conditions else {}
    people, soon = list(user_ids), Asset.due <= day + timedelta(days=DUE_SOON_DAYS)
    float_ = float_days(session, day, stage_days or templates.stage_days(None))
    owned = items_query(float_, Asset.owner_id.in_(people), soon).add_columns(
        Asset.owner_id.label("person")
    )
    assigned = items_query(
        float_,
        Freelancer.slack_user_id.in_(people),
        or_(Asset.owner_id.is_(None), Asset.owner_id != Freelancer.slack_user_id),
        soon,
    ).add_columns(Freelancer.slack_user_id.label("person"))
    items = owned.union_all(assigned).subquery("items")
    late = case((items.c.due < day, 1), else_=0)
    group = (items.c.person, late)
    # Late items by float, the rest by due date (their float is left out of the order).
    order = (case((items.c.due < day, items.c.float_days), else_=0), items.c.due, items.c.asset_id)
    ranked = select(
        items,
        late.label("late"),
        func.row_number().over(partition_by=group, order_by=order).label("position"),
        func.count().over(partition_by=group).label("total"),
    ).subquery("ranked")
    rows = session.execute(
        select(ranked)
        .where(ranked.c.position <= limit)
        .order_by(ranked.c.person, ranked.c.late.desc(), ranked.c.position)
    ).all()
    per_person: dict[str, tuple[list[Any], list[Any]]] = {}  # (due soon, late) rows
    for row in rows:
        per_person.setdefault(row.person, ([], []))[row.late].append(row)
    sections = {
        user: (found(late, digest_item), found(soon, digest_item))
        for user, (soon, late) in per_person.items()
    }
    nothing = (Section(), Section())
    return [
        PersonalDigest(
            user,
            day,
            *sections.get(user, nothing),
            invoices=bills.get(user, Section()),
            conditions=to_do.get(user, Section()),
        )
        for user in user_ids
        if user in sections or user in bills or user in to_do
    ]
