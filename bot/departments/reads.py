"""The department roster, read with Core.

Every approval click, round message and reminder needs it, so it is one prebuilt statement
on the tables (departments, members, routes) with no identity map.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from bot.storage.department_models import Department, DepartmentMember, Route

departments = Department.__table__.c
members = DepartmentMember.__table__.c
routes = Route.__table__.c

# The three tables in one statement (one round trip): a row per department ("d"), member
# ("m") and route ("r"), in display order within each part.
_ROSTER = union_all(
    select(
        literal_column("'d'").label("part"),
        departments.key,
        departments.name.label("value"),
        departments.usergroup_id,
        departments.channel_id,
        departments.position.label("n"),
    ),
    select(
        literal_column("'m'"), members.department_key, members.user_id, null(), null(), members.id
    ),
    select(
        literal_column("'r'"),
        routes.department_key,
        routes.kind,
        null(),
        null(),
        literal_column("0"),
    ),
).order_by("part", "n", "value")


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
    kinds: dict[str, list[str]] = {}
    found = []
    for part, key, value, usergroup_id, channel_id, _ in session.execute(_ROSTER):
        if part == "d":
            found.append((key, value, usergroup_id, channel_id))
        else:
            (people if part == "m" else kinds).setdefault(key, []).append(value)
    return [
        DepartmentRow(
            key=key,
            name=name,
            usergroup_id=usergroup_id,
            channel_id=channel_id,
            members=tuple(people.get(key, ())),
            routes=tuple(kinds.get(key, ())),
        )
        for key, name, usergroup_id, channel_id in found
    ]
