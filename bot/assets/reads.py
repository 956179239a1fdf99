"""Read-only queries behind `/asset show` and `/asset list`, as ORM ``Asset`` objects.

Pages walk the ``(due, id)`` index instead of sorting every asset, and counts stop at a cap
instead of scanning every match; a page's rows and its count come in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select, text
from sqlalchemy.orm import Session, joinedload

from bot.storage.asset_models import OPEN_ONLY, Asset
from bot.storage.audit_models import AuditEntry
from bot.storage.department_models import Route
from bot.storage.freelancer_models import Freelancer
from bot.storage.release_models import Release

assets = Asset.__table__.c
releases = Release.__table__.c
routes = Route.__table__.c
freelancers = Freelancer.__table__.c

Condition = ColumnElement[bool]
HISTORY_LIMIT = 20


def asset_with_history(session: Session, asset_id: int) -> tuple[Asset, list[AuditEntry]] | None:
    """An asset with its release and links, and its latest ``HISTORY_LIMIT`` audit entries,
    oldest first."""
    # One statement for the asset, its release and its links (most assets have none).
    asset = (
        session.scalars(
            select(Asset)
            .where(Asset.id == asset_id)
            .options(joinedload(Asset.release), joinedload(Asset.links))
        )
        .unique()
        .one_or_none()
    )
    if asset is None:
        return None
    latest = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "asset", AuditEntry.entity_id == f"A-{asset_id}")
        .order_by(AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return asset, list(latest)[::-1]


def release_id(conn: Session, catno: str) -> int | None:
    return conn.scalar(select(releases.id).where(releases.catno == catno))


@dataclass(frozen=True, slots=True)
class AssetQuery:
    """What a list filters on; ``None`` (or empty) filters nothing."""

    release_id: int | None = None
    stage: str | None = None
    kind: str | None = None
    dept: str | None = None  # assets of a kind routed to this department
    due_before: date | None = None
    open_only: bool = False  # not done or cancelled
    not_on_hold: bool = False
    owner_id: str | None = None

    def shape(self) -> frozenset[str]:
        """The filters in use: one set of statements is built for each combination."""
        return frozenset(name for name in _FILTERS if getattr(self, name) not in (None, False))

    def params(self) -> dict[str, Any]:
        """The bound values (the flags are literal SQL, with nothing to bind)."""
        return {name: getattr(self, name) for name in self.shape() if name not in _FLAGS}


# Each filter's condition, its value in a bind parameter of the same name.
_FILTERS: dict[str, Condition] = {
    "release_id": assets.release_id == bindparam("release_id"),
    "stage": assets.stage == bindparam("stage"),
    "kind": assets.kind == bindparam("kind"),
    "dept": assets.kind.in_(select(routes.kind).where(routes.department_key == bindparam("dept"))),
    "due_before": assets.due < bindparam("due_before"),
    "open_only": text(OPEN_ONLY),  # literal, so the partial index ix_assets_open_due_id serves it
    "not_on_hold": text("stage <> 'on_hold'"),
    # `mine`: assets the person owns, or is assigned to as a freelancer.
    "owner_id": or_(
        assets.owner_id == bindparam("owner_id"),
        assets.freelancer_id.in_(
            select(freelancers.id).where(freelancers.slack_user_id == bindparam("owner_id"))
        ),
    ),
}


_FLAGS = frozenset({"open_only", "not_on_hold"})


@dataclass(frozen=True, slots=True)
class _ListStatements:
    dated: Any
    undated: Any
    count: Any
    dated_count: Any  # for a page that starts past every dated asset


_MATCHING = 1  # a list row: the asset, then how many match


@cache
def _statements(shape: frozenset[str]) -> _ListStatements:
    """A list's statements for one combination of filters, built once."""
    where = [_FILTERS[name] for name in _FILTERS if name in shape]

    def count(*conditions: Condition) -> Any:
        matching = select(assets.id).where(*where, *conditions).limit(bindparam("count_limit"))
        return select(func.count()).select_from(matching.subquery())

    counted = count()
    # Uncorrelated, so both databases run it once per statement, not once per row.
    matching = counted.scalar_subquery().label("matching")

    def rows(condition: Condition, *order: Any) -> Any:
        return (
            select(Asset, matching)
            .options(joinedload(Asset.release))
            .where(*where, condition)
            .order_by(*order)
            .offset(bindparam("skip"))
            .limit(bindparam("take"))
        )

    return _ListStatements(
        dated=rows(assets.due.is_not(None), assets.due, assets.id),
        undated=rows(assets.due.is_(None), assets.id),
        count=counted,
        dated_count=count(assets.due.is_not(None)),
    )


def page(
    conn: Session, query: AssetQuery, *, offset: int, limit: int, count_cap: int
) -> tuple[list[Asset], int | None]:
    """Assets matching ``query`` by due date, then id (undated ones after every dated one),
    and how many match, counted up to ``count_cap`` + 1 in the same statement (None when
    the page holds no dated asset)."""
    params = query.params()
    statements = _statements(query.shape())
    params["count_limit"] = count_cap + 1
    dated = conn.execute(statements.dated, {**params, "skip": offset, "take": limit}).all()
    counted = dated[0][_MATCHING] if dated else None
    if len(dated) == limit:
        return [found[0] for found in dated], counted
    # Past the dated ones: how far into the undated ones this page starts.
    skip = 0
    if not dated and offset:
        skip = offset - _count(conn, statements, params, due_only=True, cap=offset)
    undated = conn.execute(
        statements.undated, {**params, "skip": skip, "take": limit - len(dated)}
    ).all()
    if counted is None and undated:
        counted = undated[0][_MATCHING]
    return [found[0] for found in (*dated, *undated)], counted


def count_upto(conn: Session, query: AssetQuery, *, cap: int) -> int:
    """How many assets match, counting no further than ``cap`` + 1 (more than ``cap``)."""
    params = query.params()
    return _count(conn, _statements(query.shape()), params, due_only=False, cap=cap)


def _count(
    conn: Session,
    statements: _ListStatements,
    params: dict[str, Any],
    *,
    due_only: bool,
    cap: int,
) -> int:
    statement = statements.dated_count if due_only else statements.count
    return conn.scalar(statement, {**params, "count_limit": cap + 1}) or 0
