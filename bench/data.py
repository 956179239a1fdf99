"""Bulk-loading a label's worth of rows with SQLAlchemy Core inserts, in batches.

Rows are made deterministically from their global index ``g`` so that a database can be
grown in steps (10,000 assets, then 100,000) and every step keeps the same proportions:

* ``g % 10 == 0``: overdue (active stage, due 1–90 days ago): 10 %;
* ``g % 50 == 5``: in review with a pending approval round (one step a routed department): 2 %;
* ``g % 10 == 1``: done, with an approved round behind it; the rest: active with a future due
  date (a few due this week), on hold, or cancelled.

Every asset has its ``create`` audit entry and 60 % belong to a release (eight to a release).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text

from bot.domain.catalog import KINDS
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.audit_models import AuditEntry
from bot.storage.department_models import DepartmentMember, Route
from bot.storage.freelancer_models import Freelancer
from bot.storage.release_models import Release

CHANNEL = "C0PRODUCTION"
COORDINATOR = "U0CORA"
OWNERS = ("U0CORA", "U0ARI", "U0MIA", "U0PIA", "U0LOU", "U0LEE", "U0MEG", "U0MAX", "U0MOE")
BATCH = 5_000
ASSETS_PER_RELEASE = 8
_ACTIVE = ("brief", "design", "review", "approved", "prepress", "manufacturing", "qc")
_SOFT = ("brief", "design", "review", "approved")  # stages a non-physical kind can be in
_ALL_KINDS = tuple(KINDS)
_ROUTED_KINDS = tuple(kind for kind in KINDS if kind != "other")


@dataclass(frozen=True)
class Loaded:
    assets: int
    overdue: int
    pending_rounds: int
    pending_steps: int


def _tables() -> dict[str, Table]:
    return {
        "releases": Release.__table__,  # type: ignore[dict-item]
        "assets": Asset.__table__,  # type: ignore[dict-item]
        "audit_log": AuditEntry.__table__,  # type: ignore[dict-item]
        "approval_requests": ApprovalRequest.__table__,  # type: ignore[dict-item]
        "approval_steps": ApprovalStep.__table__,  # type: ignore[dict-item]
    }


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in _tables().items()
        }


def _max_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.scalar(select(func.max(table.c.id))) or 0)
            for name, table in _tables().items()
        }


def _asset_shape(g: int, today: date) -> tuple[str, str, date | None]:
    """(kind, stage, due) of the asset with global index ``g``."""
    if g % 50 == 5:
        kind = _ROUTED_KINDS[g // 50 % len(_ROUTED_KINDS)]
    else:
        kind = _ALL_KINDS[g % len(_ALL_KINDS)]
    physical = KINDS[kind].physical
    stages = _ACTIVE if physical else _SOFT
    tenth = g % 10
    if tenth == 0:
        return kind, stages[g // 10 % len(stages)], today - timedelta(days=1 + g % 90)
    if g % 50 == 5:
        return kind, "review", today + timedelta(days=10 + g % 90)
    if tenth == 1:
        return kind, "done", today - timedelta(days=30 + g % 300)
    if tenth == 9:
        return kind, ("on_hold" if g % 20 == 9 else "cancelled"), today - timedelta(days=g % 40)
    if tenth == 4:
        return kind, stages[g % len(stages)], today + timedelta(days=g % 30)
    due = None if g % 97 == 3 else today + timedelta(days=8 + g % 358)
    return kind, stages[g % len(stages)], due


def _release_row(release_id: int, group: int, today: date, now: datetime) -> dict[str, Any]:
    return {
        "id": release_id,
        "catno": f"BN-{group:07d}",
        "title": f"Bench release {group}",
        "artist": f"Artist {group % 997}",
        "formats": "cd,vinyl",
        "street_date": today + timedelta(days=group % 400 - 100),
        "channel_id": CHANNEL,
        "created_by": COORDINATOR,
        "created_at": now,
        "updated_at": now,
    }


def _asset_row(
    g: int,
    asset_id: int,
    shape: tuple[str, str, date | None],
    *,
    release_id: int | None,
    freelancer: int | None,
    now: datetime,
) -> dict[str, Any]:
    kind, stage, due = shape
    return {
        "id": asset_id,
        "kind": kind,
        "title": f"{KINDS[kind].label} for bench item {g}",
        "release_id": release_id,
        "stage": stage,
        "held_from": "design" if stage == "on_hold" else None,
        "due": due,
        "owner_id": OWNERS[g % len(OWNERS)],
        "priority": ("low", "normal", "normal", "high")[g % 4],
        "notes": f"Bench notes {g}" if g % 3 == 0 else None,
        "format": "cd" if release_id else None,
        "channel_id": None if release_id else CHANNEL,
        "freelancer_id": freelancer if freelancer and g % 25 == 2 else None,
        "created_by": COORDINATOR,
        "created_at": now,
        "updated_at": now,
    }


def _round_rows(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    *,
    g: int,
    asset_id: int,
    depts: list[str],
    today: date,
    now: datetime,
) -> int:
    """One approval round of the asset, and a step a routed department; the pending steps."""
    is_pending = g % 50 == 5
    request_id = ids["approval_requests"] + len(rows["approval_requests"]) + 1
    rows["approval_requests"].append(
        {
            "id": request_id,
            "asset_id": asset_id,
            "round": 1,
            "status": "pending" if is_pending else "approved",
            "requested_by": COORDINATOR,
            "requested_at": now - timedelta(hours=1 + g % 96),
            "due": today + timedelta(days=3) if is_pending else None,
            "note": None,
            "channel_id": CHANNEL,
            # Placeholder: the HTTP scenario posts real messages for the rounds it clicks.
            "message_ts": f"1500000000.{request_id:06d}",
            "closed_at": None if is_pending else now - timedelta(days=20),
            "reminded_on": None,
            "version": 0,
        }
    )
    for position, dept in enumerate(depts):
        rows["approval_steps"].append(
            {
                "id": ids["approval_steps"] + len(rows["approval_steps"]) + 1,
                "request_id": request_id,
                "department_key": dept,
                "position": position,
                "status": "pending" if is_pending else "approved",
                "decided_by": None if is_pending else COORDINATOR,
                "decided_at": None if is_pending else now - timedelta(days=20),
                "reason": None,
                "override": False,
            }
        )
    return len(depts) if is_pending else 0


def _routes(engine: Engine) -> tuple[dict[str, list[str]], int | None]:
    """The departments each kind is routed to, in order, and a freelancer's id."""
    with engine.connect() as conn:
        routes: dict[str, list[str]] = {}
        for kind, dept in conn.execute(
            select(Route.kind, Route.department_key).order_by(Route.kind, Route.position)
        ):
            routes.setdefault(kind, []).append(dept)
        freelancer = conn.scalar(select(Freelancer.id).order_by(Freelancer.id).limit(1))
    return routes, freelancer


def load(engine: Engine, *, start: int, count: int, today: date, now: datetime) -> Loaded:
    """Add ``count`` assets (global indexes ``start`` … ``start + count - 1``) and their rows."""
    tables = _tables()
    ids = _max_ids(engine)
    routes, freelancer = _routes(engine)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    release_of: dict[int, int] = {}
    overdue = pending = steps = 0
    for i in range(count):
        g = start + i
        asset_id = ids["assets"] + i + 1
        shape = _asset_shape(g, today)
        release_id = None
        if g % 5 < 3:
            group = g // ASSETS_PER_RELEASE
            if group not in release_of:
                release_of[group] = ids["releases"] + len(release_of) + 1
                rows["releases"].append(_release_row(release_of[group], group, today, now))
            release_id = release_of[group]
        rows["assets"].append(
            _asset_row(g, asset_id, shape, release_id=release_id, freelancer=freelancer, now=now)
        )
        kind, _, due = shape
        rows["audit_log"].append(
            {
                "id": ids["audit_log"] + len(rows["audit_log"]) + 1,
                "at": now,
                "actor": COORDINATOR,
                "entity": "asset",
                "entity_id": f"A-{asset_id}",
                "action": "create",
                "after": {"kind": kind, "title": f"bench {g}", "due": str(due)},
            }
        )
        overdue += g % 10 == 0
        if g % 50 == 5 or g % 10 == 1:
            depts = routes.get(kind, [])
            steps += _round_rows(
                rows, ids, g=g, asset_id=asset_id, depts=depts, today=today, now=now
            )
            pending += g % 50 == 5
    with engine.begin() as conn:
        for name in ("releases", "assets", "audit_log", "approval_requests", "approval_steps"):
            for chunk in _chunks(rows[name]):
                conn.execute(insert(tables[name]), chunk)
    _after_load(engine)
    return Loaded(assets=count, overdue=overdue, pending_rounds=pending, pending_steps=steps)


def _after_load(engine: Engine) -> None:
    """PostgreSQL: move the id sequences past the explicit ids, and refresh planner stats
    (autovacuum would, after a bulk load). SQLite: nothing (the app never runs ANALYZE)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for name in _tables():
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def members(engine: Engine) -> dict[str, str]:
    """One member of each department: who clicks for it."""
    with engine.connect() as conn:
        found: dict[str, str] = {}
        for dept, user in conn.execute(
            select(DepartmentMember.department_key, DepartmentMember.user_id).order_by(
                DepartmentMember.id
            )
        ):
            found.setdefault(dept, user)
        return found


def today_and_now() -> tuple[date, datetime]:
    now = datetime.now(UTC)
    return now.date(), now
