"""Read-only queries behind `/asset show` and `/asset list`.

They are the commands people run most, so they use Core statements on the tables and
return small frozen rows: no identity map, no loader strategies, a fraction of the ORM's
cost per request. Pages walk the ``(due, id)`` index instead of sorting every asset, and
counts stop at a cap instead of scanning every match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, exists, func, select

from bot.storage.models import Asset, AssetLink, AuditEntry, Release, Route

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
    """What the asset views show; the ORM ``Asset`` has the same attributes."""

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


def _row(found: Any, found_links: tuple[LinkRow, ...] = ()) -> AssetRow:
    release = ReleaseRef(found.catno, found.release_title) if found.catno is not None else None
    return AssetRow(*found[:9], release=release, links=found_links)


# Built once: constructing a statement costs more than running it on a warm connection.
_ASSET = (
    select(*_COLUMNS, exists().where(links.asset_id == assets.id).label("has_links"))
    .select_from(_FROM)
    .where(assets.id == bindparam("asset_id"))
)
_LINKS = (
    select(links.url, links.label).where(links.asset_id == bindparam("asset_id")).order_by(links.id)
)
HISTORY_LIMIT = 20
_HISTORY = (
    select(audit.at, audit.actor, audit.action, audit.after)
    .where(audit.entity == bindparam("entity"), audit.entity_id == bindparam("entity_id"))
    .order_by(audit.id.desc())
    .limit(HISTORY_LIMIT)
)


def asset_row(conn: Connection, asset_id: int) -> AssetRow | None:
    found = conn.execute(_ASSET, {"asset_id": asset_id}).first()
    if found is None:
        return None
    if not found.has_links:  # most assets: one round trip fewer
        return _row(found)
    linked = conn.execute(_LINKS, {"asset_id": asset_id})
    return _row(found, tuple(LinkRow(url, label) for url, label in linked))


def release_id(conn: Connection, catno: str) -> int | None:
    return conn.scalar(select(releases.id).where(releases.catno == catno))


def routed_to(department_key: str) -> Condition:
    return assets.kind.in_(select(routes.kind).where(routes.department_key == department_key))


def page(
    conn: Connection, where: list[Condition], *, offset: int, limit: int, count_cap: int
) -> tuple[list[AssetRow], int | None]:
    """Assets matching ``where`` by due date, then id (undated ones after every dated one),
    and how many match, counted up to ``count_cap`` + 1 in the same statement (None when
    the page holds no dated asset)."""

    def rows(conditions: list[Condition], order: tuple[Any, ...], skip: int, take: int) -> list:
        query = select(*_COLUMNS, _counted(where, count_cap)).select_from(_FROM)
        query = query.where(*conditions).order_by(*order).offset(skip).limit(take)
        return list(conn.execute(query))

    dated = rows([*where, assets.due.is_not(None)], (assets.due, assets.id), offset, limit)
    counted = dated[0].matching if dated else None
    if len(dated) == limit:
        return [_row(found) for found in dated], counted
    # Past the dated ones: how far into the undated ones this page starts.
    skip = 0
    if not dated and offset:
        skip = offset - count_upto(conn, [*where, assets.due.is_not(None)], cap=offset)
    undated = rows([*where, assets.due.is_(None)], (assets.id,), skip, limit - len(dated))
    if counted is None and undated:
        counted = undated[0].matching
    return [_row(found) for found in (*dated, *undated)], counted


def _counted(where: list[Condition], cap: int) -> Any:
    # Uncorrelated, so both databases run it once per statement, not once per row.
    matching = select(assets.id).where(*where).limit(cap + 1).subquery()
    return select(func.count()).select_from(matching).scalar_subquery().label("matching")


def count_upto(conn: Connection, where: list[Condition], *, cap: int) -> int:
    """How many assets match, counting no further than ``cap`` + 1 (more than ``cap``)."""
    matching = select(assets.id).where(*where).limit(cap + 1).subquery()
    return conn.scalar(select(func.count()).select_from(matching)) or 0


def history(conn: Connection, entity: str, entity_id: str) -> list[HistoryRow]:
    """The latest ``HISTORY_LIMIT`` audit entries of one thing, oldest first."""
    found = conn.execute(_HISTORY, {"entity": entity, "entity_id": entity_id})
    return [HistoryRow(*entry) for entry in reversed(list(found))]
