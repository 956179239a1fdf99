"""Idempotent seeding of the built-in departments, routes and first coordinators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.catalog import COORDINATORS, DEFAULT_DELIVERIES, DEFAULT_ROUTES, DEPARTMENTS
from bot.storage.db import Database
from bot.storage.department_models import DeliveryRoute, Department, DepartmentMember, Route


def seed(db: Database, *, coordinators: tuple[str, ...], now: datetime) -> None:
    """Create what is missing and never overwrite what a coordinator has configured."""
    with db.write() as session:
        existing = set(session.scalars(select(Department.key)))
        for position, dept in enumerate(DEPARTMENTS):
            if dept.key not in existing:
                session.add(Department(key=dept.key, name=dept.name, position=position))
        session.flush()
        if not session.scalar(select(Route.id).limit(1)):
            _seed_routes(session)
        if not session.scalar(select(DeliveryRoute.id).limit(1)):
            _seed_deliveries(session)
        members = set(
            session.scalars(
                select(DepartmentMember.user_id).where(
                    DepartmentMember.department_key == COORDINATORS
                )
            )
        )
        for user_id in coordinators:
            if user_id not in members:
                session.add(
                    DepartmentMember(department_key=COORDINATORS, user_id=user_id, added_at=now)
                )


def _seed_routes(session: Session) -> None:
    for kind, depts in DEFAULT_ROUTES.items():
        for position, dept in enumerate(depts):
            session.add(Route(kind=kind, department_key=dept, position=position))


def _seed_deliveries(session: Session) -> None:
    for kind, depts in DEFAULT_DELIVERIES.items():
        for position, dept in enumerate(depts):
            session.add(DeliveryRoute(kind=kind, department_key=dept, position=position))
