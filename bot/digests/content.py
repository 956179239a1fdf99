"""What a digest says: street dates at risk, overdue, due soon, waiting on approval, label
copy still unlocked, on hold. No Slack here.

Every section is one query whatever the data size (joins instead of lazy loads, window
functions for totals and per-person cuts), so a digest over 10,000 late assets costs the
same handful of round trips as one over ten. Only the rows a message can show are fetched;
the rest are counted. Hence late work is ranked by float (``domain/critical_path``) in SQL:
in Python every late row would be fetched, as no cheaper order bounds float.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, case, cast, func, literal, null, or_, select
from sqlalchemy.orm import Session

from bot.domain import critical_path, templates
from bot.domain.catalog import KINDS
from bot.domain.critical_path import StageDays
from bot.domain.stages import ACTIVE_STAGES, TERMINAL_STAGES, Stage
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
_TERMINAL = [stage.value for stage in TERMINAL_STAGES]
_PHYSICAL_KINDS = sorted(key for key, kind in KINDS.items() if kind.physical)


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
    float_days: int | None = None  # days to spare before the street date (see critical_path)


_ITEM_FIELDS = tuple(f.name for f in fields(DigestItem))  # _items_query's column labels


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
    at_risk: Section = field(default_factory=Section)

    @property
    def all_clear(self) -> bool:
        sections = (self.at_risk, self.overdue, self.due_soon, self.waiting, self.copy_unlocked)
        return not any(section.total for section in sections)


@dataclass(frozen=True)
class PersonalDigest:
    user_id: str
    day: date
    overdue: Section
    due_soon: Section


def _days_from(session: Session, day: date, later: ColumnElement[Any]) -> ColumnElement[int]:
    """``later - day`` in days. PostgreSQL subtracts dates; SQLite keeps them as text."""
    if session.get_bind().dialect.name == "postgresql":
        return later - literal(day)  # type: ignore[no-any-return]
    return cast(func.round(func.julianday(later) - func.julianday(literal(day))), Integer)


def _manufacturing(stage_days: StageDays) -> ColumnElement[int]:
    """``StageDays.manufacturing``: the asset's format, or the slowest of its release's
    (the first found, trying the slowest first; unknown keys are skipped, as in Python)."""
    default = stage_days.days[Stage.MANUFACTURING]
    plants = stage_days.manufacturing_by_format
    own = case(dict(plants), value=Asset.format, else_=default) if plants else literal(default)
    keys = literal(",") + func.coalesce(Release.formats, "") + literal(",")
    slowest = sorted(plants.items(), key=lambda item: -item[1])
    return case(
        (Asset.format.is_not(None), own),
        *((keys.contains(f",{key},", autoescape=True), days) for key, days in slowest),
        else_=default,
    )


def _remaining(stage_days: StageDays) -> ColumnElement[int]:
    """``critical_path.remaining_days`` per asset (release joined), from its ``stage_table``."""
    known = Asset.held_from.in_([stage.value for stage in critical_path.PHYSICAL_PATH])
    resume = case((known, Asset.held_from), else_=critical_path.UNKNOWN_RESUME.value)
    current = case((Asset.stage == Stage.ON_HOLD.value, resume), else_=Asset.stage)
    plant = _manufacturing(stage_days)

    def by_stage(physical: bool) -> ColumnElement[int]:
        table = critical_path.stage_table(stage_days, physical=physical)
        whens = {
            s.value: literal(n) + plant if plant_ahead else literal(n)
            for s, (n, plant_ahead) in table.items()
        }
        return case(whens, value=current, else_=0)

    return case((Asset.kind.in_(_PHYSICAL_KINDS), by_stage(True)), else_=by_stage(False))


def _float(session: Session, day: date, stage_days: StageDays) -> ColumnElement[int]:
    """Days to spare before the street date (a loose asset's own due date)."""
    deadline = func.coalesce(Release.street_date, Asset.due)
    return _days_from(session, day, deadline) - _remaining(stage_days)


def _items_query(float_: ColumnElement[Any], *where: ColumnElement[bool]) -> Select[Any]:
    return (
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
            float_.label("float_days"),
        )
        .where(Asset.stage.in_(_ACTIVE), *where)
    )


def _item(row: Any) -> DigestItem:
    return DigestItem(**{name: getattr(row, name) for name in _ITEM_FIELDS})


def _found(rows: Sequence[Any], make: Callable[[Any], Any]) -> Section:
    """The fetched rows as a section; each row carries the total."""
    return Section(items=tuple(make(row) for row in rows), total=rows[0].total if rows else 0)


def _section(session: Session, query: Select[Any], limit: int) -> Section:
    """The first ``limit`` rows and the total, in one query (the total rides on each row)."""
    rows = session.execute(query.add_columns(func.count().over().label("total")).limit(limit))
    return _found(rows.all(), _item)


def _soon(day: date) -> ColumnElement[bool]:
    return Asset.due.between(day, day + timedelta(days=DUE_SOON_DAYS))


# --- the channel digest -----------------------------------------------------------------


def overdue(
    session: Session, day: date, days: StageDays, *, limit: int = ROWS_PER_SECTION
) -> Section:
    """Late and still expected, least float first, then by due date (on-hold items are
    counted apart): late art for a release months away waits behind a street date at risk."""
    float_ = _float(session, day, days)
    query = _items_query(float_, Asset.due < day).order_by(float_, Asset.due, Asset.id)
    return _section(session, query, limit)


def due_soon(session: Session, day: date, *, limit: int = ROWS_PER_SECTION) -> Section:
    query = _items_query(null(), _soon(day)).order_by(Asset.due, Asset.id)  # float unused
    return _section(session, query, limit)


def street_dates_at_risk(
    session: Session, day: date, days: StageDays, *, limit: int = ROWS_PER_SECTION
) -> Section:
    """Releases to come (not cancelled) with an open asset whose remaining stages need more
    days than are left to the street date; each named by its worst asset, worst first."""
    needs, left = _remaining(days), _days_from(session, day, Release.street_date)
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
    return _found(session.execute(query).all(), lambda r: StreetDateAtRisk(*r[:6]))


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
    return _found(session.execute(query).all(), lambda r: WaitingApproval(*r[:4]))


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
    return _found(session.execute(query).all(), lambda r: UnlockedCopy(*r[:3]))


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
) -> list[PersonalDigest]:
    """Each person's own overdue (least float first, as in the channel) and due-soon items —
    assets they own or are assigned to as a freelancer — for everyone in one query.

    People with nothing late or due soon get no digest at all.
    """
    if not user_ids:
        return []
    people, soon = list(user_ids), Asset.due <= day + timedelta(days=DUE_SOON_DAYS)
    float_ = _float(session, day, stage_days or templates.stage_days(None))
    owned = _items_query(float_, Asset.owner_id.in_(people), soon).add_columns(
        Asset.owner_id.label("person")
    )
    assigned = _items_query(
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
    found: dict[str, tuple[list[Any], list[Any]]] = {}  # (due soon, late) rows per person
    for row in rows:
        found.setdefault(row.person, ([], []))[row.late].append(row)
    sections = {
        user: (_found(late, _item), _found(soon, _item)) for user, (soon, late) in found.items()
    }
    return [PersonalDigest(user, day, *sections[user]) for user in user_ids if user in sections]
