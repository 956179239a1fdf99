"""`/asset list`: filters, and a page of assets by due date with a capped count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.assets import reads
from bot.domain.identifiers import no_such_release
from bot.storage.asset_models import Asset

# A list counts no further than this past its page: "1,000+" is plenty to read.
LIST_COUNT_CAP = 1000


@dataclass(frozen=True)
class AssetFilter:
    release: str | None = None
    stage: str | None = None
    kind: str | None = None
    dept: str | None = None
    overdue: bool = False
    mine_of: str | None = None
    include_closed: bool = False  # `all`: done and cancelled assets too


@dataclass(frozen=True)
class AssetPage:
    rows: list[Asset]
    total: int  # how many match, or LIST_COUNT_CAP past the page when ``more`` is set
    more: bool = False  # more than ``total`` match: counting stopped there


def _query(conn: Session, filters: AssetFilter, today: date) -> reads.AssetQuery:
    release_id = None
    if filters.release:
        catno = filters.release.strip().upper()
        release_id = reads.release_id(conn, catno)
        if release_id is None:
            raise no_such_release(catno)
    overdue = filters.overdue
    # Done and cancelled assets are history: `all` or a `stage:` shows them.
    open_only = overdue or not (filters.include_closed or filters.stage)
    return reads.AssetQuery(
        release_id=release_id,
        stage=filters.stage,
        kind=filters.kind,
        dept=filters.dept,
        due_before=today if overdue else None,
        open_only=open_only,
        not_on_hold=overdue,
        owner_id=filters.mine_of,
    )


def list_assets(
    conn: Session, *, filters: AssetFilter, today: date, offset: int, limit: int
) -> AssetPage:
    """A page of assets by due date (undated last), and how many match in all."""
    query = _query(conn, filters, today)
    cap = offset + LIST_COUNT_CAP
    rows, counted = reads.page(conn, query, offset=offset, limit=limit, count_cap=cap)
    if len(rows) < limit and (rows or not offset):
        return AssetPage(rows, offset + len(rows))  # the last page
    if counted is None:
        counted = reads.count_upto(conn, query, cap=cap)
    return AssetPage(rows, min(counted, cap), more=counted > cap)
