"""The department roster, read with Core.

Every approval click, round message and reminder needs it, so it is three prebuilt
statements on the tables (departments, members, routes) with no identity map.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from bot.storage.models import Department, DepartmentMember, Route

departments = Department.__table__.c
members = DepartmentMember.__table__.c
routes = Route.__table__.c

_DEPARTMENTS = select(
    departments.key, departments.name, departments.usergroup_id, departments.channel_id
).order_by(departments.position)
_MEMBERS = select(members.department_key, members.user_id).order_by(members.id)
_ROUTES = select(routes.department_key, routes.kind).order_by(routes.kind)


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    key: str
    name: str
    usergroup_id: str | None
    channel_id: str | None
    members: tuple[str, ...]
    routes: tuple[str, ...]  # asset kinds whose approval route includes the department


def roster(session: Session | Connection) -> list[DepartmentRow]:
    """Every department in display order, with its explicit members and routed kinds."""
    if isinstance(session, Session):
        session.flush()  # Core statements skip autoflush; a change in this transaction shows
    people: dict[str, list[str]] = {}
    for key, user_id in session.execute(_MEMBERS):
        people.setdefault(key, []).append(user_id)
    kinds: dict[str, list[str]] = {}
    for key, kind in session.execute(_ROUTES):
        kinds.setdefault(key, []).append(kind)
    return [
        DepartmentRow(
            key=key,
            name=name,
            usergroup_id=usergroup_id,
            channel_id=channel_id,
            members=tuple(people.get(key, ())),
            routes=tuple(kinds.get(key, ())),
        )
        for key, name, usergroup_id, channel_id in session.execute(_DEPARTMENTS)
    ]
