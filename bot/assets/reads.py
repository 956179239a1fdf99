"""Read-only queries behind `/asset show` and `/asset list`.

They return small frozen rows from Core statements. Pages walk the ``(due, id)`` index
instead of sorting every asset, and counts stop at a cap instead of scanning every match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, select, true
from sqlalchemy.orm import Session

from bot.storage.asset_models import Asset, AssetLink
from bot.storage.audit_models import AuditEntry
from bot.storage.department_models import Route
from bot.storage.release_models import Release

assets = Asset.__table__.c
releases = Release.__table__.c
links = AssetLink.__table__.c
audit = AuditEntry.__table__.c
routes = Route.__table__.c

Condition = ColumnElement[bool]


@dataclass(frozen=True, slots=True)
class ReleaseRef:
    catno: str
    title: str


@dataclass(frozen=True, slots=True)
class LinkRow:
    url: str
    label: str | None


@dataclass(frozen=True, slots=True)
class AssetRow:
    """What `/asset show` and `/asset list` show of an asset."""

    id: int
    kind: str
    title: str
    stage: str
    due: date | None
    owner_id: str | None
    priority: str
    notes: str | None
    cancel_reason: str | None
    release: ReleaseRef | None
    links: tuple[LinkRow, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    actor: str
    action: str
    after: dict[str, Any] | None


_COLUMNS = (
    assets.id,
    assets.kind,
    assets.title,
    assets.stage,
    assets.due,
    assets.owner_id,
    assets.priority,
    assets.notes,
    assets.cancel_reason,
    releases.catno,
    releases.title.label("release_title"),
)
_FROM = Asset.__table__.outerjoin(Release.__table__, assets.release_id == releases.id)


def _row(found: Sequence[Any], found_links: tuple[LinkRow, ...] = ()) -> AssetRow:
    """An ``AssetRow`` from a row that starts with ``_COLUMNS``."""
    catno, release_title = found[9], found[10]
    release = ReleaseRef(catno, release_title) if catno is not None else None
    return AssetRow(*found[:9], release=release, links=found_links)


HISTORY_LIMIT = 20
_RECENT = (
    select(audit.id.label("entry_id"), audit.at, audit.actor, audit.action, audit.after)
    .where(audit.entity == "asset", audit.entity_id == bindparam("entity_id"))
    .order_by(audit.id.desc())
    .limit(HISTORY_LIMIT)
    .subquery("recent")
)
# The asset and its latest history in one statement (one row per entry, the asset's
# columns repeated): one round trip, not two. The history subquery is uncorrelated, so
# both databases run it once.
_ASSET = (
    select(
        *_COLUMNS,
        exists().where(links.asset_id == assets.id).label("has_links"),
        _RECENT.c.at,
        _RECENT.c.actor,
        _RECENT.c.action,
        _RECENT.c.after,
    )
    .select_from(_FROM.outerjoin(_RECENT, true()))
    .where(assets.id == bindparam("asset_id"))
    .order_by(_RECENT.c.entry_id)
)
_HAS_LINKS = len(_COLUMNS)  # the asset's columns, then has_links, then the entry's
_LINKS = (
    select(links.url, links.label).where(links.asset_id == bindparam("asset_id")).order_by(links.id)
)


def asset_with_history(conn: Session, asset_id: int) -> tuple[AssetRow, list[HistoryRow]] | None:
    """An asset with its links, and its latest ``HISTORY_LIMIT`` audit entries, oldest first."""
    found = conn.execute(_ASSET, {"asset_id": asset_id, "entity_id": f"A-{asset_id}"}).all()
    if not found:
        return None
    first = found[0]
    history = [
        HistoryRow(*entry[_HAS_LINKS + 1 :]) for entry in found if entry[_HAS_LINKS + 1] is not None
    ]
    if not first[_HAS_LINKS]:  # most assets: one round trip fewer
        return _row(first), history
    linked = conn.execute(_LINKS, {"asset_id": asset_id})
    return _row(first, tuple(LinkRow(url, label) for url, label in linked)), history


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
    stage_not_in: tuple[str, ...] = ()
    owner_id: str | None = None

    def params(self) -> dict[str, Any]:
        found = {name: getattr(self, name) for name in _FILTERS}
        return {name: value for name, value in found.items() if value not in (None, ())}


# Each filter's condition, its value in a bind parameter of the same name.
_FILTERS: dict[str, Condition] = {
    "release_id": assets.release_id == bindparam("release_id"),
    "stage": assets.stage == bindparam("stage"),
    "kind": assets.kind == bindparam("kind"),
    "dept": assets.kind.in_(select(routes.kind).where(routes.department_key == bindparam("dept"))),
    "due_before": assets.due < bindparam("due_before"),
    "stage_not_in": assets.stage.not_in(bindparam("stage_not_in", expanding=True)),
    "owner_id": assets.owner_id == bindparam("owner_id"),
}


@dataclass(frozen=True, slots=True)
class _ListStatements:
    dated: Any
    undated: Any
    count: Any
    dated_count: Any  # for a page that starts past every dated asset


_MATCHING = len(_COLUMNS)  # a list row: the asset's columns, then how many match


@cache
def _statements(shape: frozenset[str]) -> _ListStatements:
    """A list's statements for one combination of filters, built once."""
    where = [_FILTERS[name] for name in _FILTERS if name in shape]

    def count(*conditions: Condition) -> Any:
        matching = select(assets.id).where(*where, *conditions).limit(bindparam("count_limit"))
        return select(func.count()).select_from(matching.subquery())

    counted = count()
    # Uncorrelated, so both databases run it once per statement, not once per row.
    columns = (*_COLUMNS, counted.scalar_subquery().label("matching"))  # at _MATCHING

    def rows(condition: Condition, *order: Any) -> Any:
        return (
            select(*columns)
            .select_from(_FROM)
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
) -> tuple[list[AssetRow], int | None]:
    """Assets matching ``query`` by due date, then id (undated ones after every dated one),
    and how many match, counted up to ``count_cap`` + 1 in the same statement (None when
    the page holds no dated asset)."""
    params = query.params()
    statements = _statements(frozenset(params))
    params["count_limit"] = count_cap + 1
    dated = conn.execute(statements.dated, {**params, "skip": offset, "take": limit}).all()
    counted = dated[0][_MATCHING] if dated else None
    if len(dated) == limit:
        return [_row(found) for found in dated], counted
    # Past the dated ones: how far into the undated ones this page starts.
    skip = 0
    if not dated and offset:
        skip = offset - _count(conn, statements, params, due_only=True, cap=offset)
    undated = conn.execute(
        statements.undated, {**params, "skip": skip, "take": limit - len(dated)}
    ).all()
    if counted is None and undated:
        counted = undated[0][_MATCHING]
    return [_row(found) for found in (*dated, *undated)], counted


def count_upto(conn: Session, query: AssetQuery, *, cap: int) -> int:
    """How many assets match, counting no further than ``cap`` + 1 (more than ``cap``)."""
    params = query.params()
    return _count(conn, _statements(frozenset(params)), params, due_only=False, cap=cap)


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
