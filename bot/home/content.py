"""What a person's App Home shows: what waits on them, their assets, what is late, the next
street dates. No Slack here.

A constant number of queries whatever the catalogue's size (each section is one query, its
total riding on the rows it returns), and only the rows the tab can show are fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal_column, nulls_last, or_, select
from sqlalchemy.orm import Session

from bot.departments.service import COORDINATORS, DepartmentView, list_departments
from bot.digests.content import copy_unlocked, overdue
from bot.digests.queries import Section, first_rows, float_days, found, items_query
from bot.domain.critical_path import StageDays
from bot.domain.stages import Stage
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.department_models import Department
from bot.storage.freelancer_models import Freelancer
from bot.storage.release_models import Release

WAITING_ROWS = 10  # each takes two blocks (a line and its buttons) of the Home's 100
LIST_ROWS = 25  # lines of a list section: well inside its 3,000 characters
STREET_DATE_DAYS = 30
_APPROVED = [
    s.value for s in (Stage.APPROVED, Stage.PREPRESS, Stage.MANUFACTURING, Stage.QC, Stage.DONE)
]
# Who is in a Slack user group, when known without asking Slack (None: not known).
GroupMembers = Callable[[str], Collection[str] | None]


@dataclass(frozen=True)
class WaitingOnYou:
    request_id: int
    dept_key: str
    dept_name: str
    asset_id: int
    asset_title: str
    catno: str | None
    round: int
    requested_at: datetime
    due: date | None  # decide by
    channel_id: str | None


@dataclass(frozen=True)
class StreetDate:
    catno: str
    title: str
    street_date: date
    assets: int  # not cancelled
    approved: int  # approved or further on


@dataclass(frozen=True)
class HomeContent:
    user_id: str
    day: date
    departments: tuple[DepartmentView, ...]
    waiting: Section
    yours: Section
    overdue: Section
    street_dates: Section
    copy_unlocked: Section

    @property
    def is_guest(self) -> bool:
        """In no department: sees their own work only."""
        return not self.departments

    @property
    def is_coordinator(self) -> bool:
        return any(dept.key == COORDINATORS for dept in self.departments)


def departments_of(
    depts: list[DepartmentView], user_id: str, group_members: GroupMembers
) -> tuple[DepartmentView, ...]:
    """The departments ``user_id`` decides for: listed, or in the department's user group."""

    def member(dept: DepartmentView) -> bool:
        if user_id in dept.members:
            return True
        return bool(dept.usergroup_id) and user_id in (group_members(dept.usergroup_id) or ())

    return tuple(dept for dept in depts if member(dept))


def waiting_on(
    session: Session, dept_keys: list[str], float_: ColumnElement[int], *, limit: int
) -> Section:
    """Open rounds' pending steps of these departments, least float first, then oldest."""
    if not dept_keys:
        return Section()
    query = (
        select(
            ApprovalRequest.id,
            ApprovalStep.department_key,
            Department.name,
            Asset.id,
            Asset.title,
            Release.catno,
            ApprovalRequest.round,
            ApprovalRequest.requested_at,
            ApprovalRequest.due,
            ApprovalRequest.channel_id,
            func.count().over().label("total"),
        )
        .select_from(ApprovalStep)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalStep.request_id)
        .join(Asset, Asset.id == ApprovalRequest.asset_id)
        .outerjoin(Release, Release.id == Asset.release_id)
        .join(Department, Department.key == ApprovalStep.department_key)
        .where(
            ApprovalRequest.status == "pending",
            ApprovalStep.status == "pending",
            ApprovalStep.department_key.in_(dept_keys),
            Asset.stage != Stage.ON_HOLD.value,  # a held round waits on nobody
        )
        .order_by(nulls_last(float_), ApprovalRequest.requested_at, ApprovalStep.position)
        .limit(limit)
    )
    return found(session.execute(query).all(), lambda r: WaitingOnYou(*r[:10]))


def next_street_dates(session: Session, day: date, *, limit: int) -> Section:
    counted = and_(Asset.release_id == Release.id, Asset.stage != Stage.CANCELLED.value)
    query = (
        select(
            Release.catno,
            Release.title,
            Release.street_date,
            func.count(Asset.id),
            func.count(case((Asset.stage.in_(_APPROVED), Asset.id))),
            func.count().over().label("total"),
        )
        .outerjoin(Asset, counted)
        .where(
            Release.cancelled_at.is_(None),
            Release.street_date.between(day, day + timedelta(days=STREET_DATE_DAYS)),
        )
        .group_by(Release.id, Release.catno, Release.title, Release.street_date)
        .order_by(Release.street_date, Release.id)
        .limit(limit)
    )
    return found(session.execute(query).all(), lambda r: StreetDate(*r[:5]))


def build_home(
    session: Session,
    *,
    user_id: str,
    day: date,
    stage_days: StageDays,
    group_members: GroupMembers,
) -> HomeContent:
    """The Home of ``user_id`` on local ``day``: at most six queries."""
    depts = departments_of(list_departments(session), user_id, group_members)
    float_ = float_days(session, day, stage_days)
    mine = or_(Asset.owner_id == user_id, Freelancer.slack_user_id == user_id)
    # By the selected column's name: the float's long expression is sent once, not thrice.
    urgent = (nulls_last(literal_column("float_days")), nulls_last(Asset.due), Asset.id)
    yours = first_rows(session, items_query(float_, mine).order_by(*urgent), LIST_ROWS)
    is_coordinator = any(dept.key == COORDINATORS for dept in depts)
    if is_coordinator:
        late = overdue(session, day, stage_days, limit=LIST_ROWS)
    else:
        own_late = items_query(float_, mine, Asset.due < day).order_by(*urgent)
        late = first_rows(session, own_late, LIST_ROWS)
    keys = [dept.key for dept in depts]
    return HomeContent(
        user_id=user_id,
        day=day,
        departments=depts,
        waiting=waiting_on(session, keys, float_, limit=WAITING_ROWS),
        yours=yours,
        overdue=late,
        street_dates=next_street_dates(session, day, limit=LIST_ROWS) if depts else Section(),
        copy_unlocked=copy_unlocked(session, limit=LIST_ROWS) if depts else Section(),
    )
