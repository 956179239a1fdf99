"""Departments and who belongs to them (explicit members; Slack user groups come later)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.domain.catalog import COORDINATORS
from bot.domain.errors import NotFoundError, echo
from bot.storage.models import Department, DepartmentMember, Route


@dataclass(frozen=True)
class DepartmentView:
    key: str
    name: str
    members: tuple[str, ...]
    usergroup_id: str | None
    channel_id: str | None
    routes: tuple[str, ...]  # asset kinds whose approval route includes this department


def list_departments(session: Session) -> list[DepartmentView]:
    departments = session.scalars(
        select(Department).options(selectinload(Department.members)).order_by(Department.position)
    ).all()
    routes: dict[str, list[str]] = {}
    for route in session.scalars(select(Route).order_by(Route.kind)):
        routes.setdefault(route.department_key, []).append(route.kind)
    return [
        DepartmentView(
            key=dept.key,
            name=dept.name,
            members=tuple(member.user_id for member in dept.members),
            usergroup_id=dept.usergroup_id,
            channel_id=dept.channel_id,
            routes=tuple(routes.get(dept.key, ())),
        )
        for dept in departments
    ]


def get_department(session: Session, key: str) -> DepartmentView:
    wanted = key.strip().lower().lstrip("#@")
    for dept in list_departments(session):
        if dept.key == wanted:
            return dept
    known = ", ".join(d.key for d in list_departments(session))
    raise NotFoundError(f"There is no department {echo(wanted)}. Known: {known}.")


def is_coordinator(session: Session, user_id: str) -> bool:
    return (
        session.scalar(
            select(DepartmentMember.id).where(
                DepartmentMember.department_key == COORDINATORS,
                DepartmentMember.user_id == user_id,
            )
        )
        is not None
    )
