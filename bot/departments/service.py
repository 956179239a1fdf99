"""Departments, who belongs to them (explicit members plus a Slack user group) and routes."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from bot.core.errors import NotFoundError, PermissionDenied, SlackUnavailable, ValidationError, echo
from bot.departments.reads import DepartmentRow, roster
from bot.domain.actors import Actor, require_coordinator
from bot.domain.catalog import COORDINATORS
from bot.storage.audit import record
from bot.storage.department_models import Department, DepartmentMember, Route

# What services and views use of a department; read by ``bot.departments.reads``.
DepartmentView = DepartmentRow


def list_departments(session: Session | Connection) -> list[DepartmentView]:
    return roster(session)


def get_department(session: Session | Connection, key: str) -> DepartmentView:
    wanted = key.strip().lower().lstrip("#@")
    for dept in list_departments(session):
        if dept.key == wanted:
            return dept
    known = ", ".join(d.key for d in list_departments(session))
    raise NotFoundError(f"There is no department {echo(wanted)}. Known: {known}.")


def memberships(session: Session, user_id: str) -> set[str]:
    """The departments ``user_id`` is an explicit member of."""
    query = select(DepartmentMember.department_key).where(DepartmentMember.user_id == user_id)
    return set(session.scalars(query))


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


class GroupLookup(Protocol):
    """Who is in a Slack user group (raises SlackUnavailable when Slack can't say)."""

    def members(self, group_id: str) -> frozenset[str]: ...


def who_decides(dept: DepartmentView) -> str:
    parts = [f"<@{user}>" for user in dept.members]
    if dept.usergroup_id:
        parts.append(f"<!subteam^{dept.usergroup_id}>")
    return ", ".join(parts) or "nobody yet"


def require_member(dept: DepartmentView, user_id: str, groups: GroupLookup | None) -> None:
    """Explicit members always count; a user group's members count when Slack can say."""
    if user_id in dept.members:
        return
    if dept.usergroup_id and groups is not None:
        try:
            if user_id in groups.members(dept.usergroup_id):
                return
        except SlackUnavailable:
            raise PermissionDenied(
                f"Only members of {dept.name} can decide this: {who_decides(dept)}. Slack "
                "couldn't tell me who is in the group just now, so only the listed members "
                "count; try again in a minute."
            ) from None
    raise PermissionDenied(f"Only members of {dept.name} can decide this: {who_decides(dept)}.")


MAX_NAME = 80


def set_department(
    session: Session,
    *,
    actor: Actor,
    key: str,
    name: str | None,
    members: list[str] | None,
    usergroup_id: str | None,
    channel_id: str | None,
    now: datetime,
) -> DepartmentView:
    """Change a department; ``members`` replaces the explicit member list."""
    require_coordinator(actor, "configure departments")
    current = get_department(session, key)
    dept = session.get(Department, current.key)
    assert dept is not None
    before = _snapshot(current)
    if name is not None:
        if not name.strip() or len(name.strip()) > MAX_NAME:
            raise ValidationError(
                f'`name:` is 1–{MAX_NAME} characters, e.g. name:"Legal & Business Affairs".'
            )
        dept.name = name.strip()
    if usergroup_id is not None:
        dept.usergroup_id = usergroup_id or None
    if channel_id is not None:
        dept.channel_id = channel_id or None
    if members is not None:
        _replace_members(session, dept, members, now)
    session.flush()
    session.expire(dept)
    after = get_department(session, dept.key)
    record(
        session,
        at=now,
        actor=actor.user_id,
        entity="department",
        entity_id=dept.key,
        action="set",
        before=before,
        after=_snapshot(after),
    )
    return after


def _snapshot(dept: DepartmentView) -> dict[str, object]:
    return {
        "name": dept.name,
        "members": list(dept.members),
        "usergroup_id": dept.usergroup_id,
        "channel_id": dept.channel_id,
    }


def _replace_members(session: Session, dept: Department, members: list[str], now: datetime) -> None:
    if dept.key == COORDINATORS and not members:
        raise ValidationError("`coordinators` can't be left without members.")
    for member in list(dept.members):
        if member.user_id not in members:
            session.delete(member)
    have = {member.user_id for member in dept.members}
    for user_id in members:
        if user_id not in have:
            session.add(DepartmentMember(department_key=dept.key, user_id=user_id, added_at=now))


def set_route(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    depts: list[str],
    now: datetime,
) -> list[str]:
    require_coordinator(actor, "change approval routes")
    known = {d.key for d in list_departments(session)}
    unknown = [key for key in depts if key not in known]
    if unknown:
        raise ValidationError(
            f"There is no department {echo(unknown[0])}. Known: {', '.join(sorted(known))}."
        )
    before = [
        r.department_key
        for r in session.scalars(select(Route).where(Route.kind == kind).order_by(Route.position))
    ]
    session.execute(delete(Route).where(Route.kind == kind))
    for position, key in enumerate(dict.fromkeys(depts)):
        session.add(Route(kind=kind, department_key=key, position=position))
    record(
        session,
        at=now,
        actor=actor.user_id,
        entity="route",
        entity_id=kind,
        action="set",
        before={"departments": before},
        after={"departments": list(dict.fromkeys(depts))},
    )
    return list(dict.fromkeys(depts))


def all_routes(session: Session) -> dict[str, list[str]]:
    routes: dict[str, list[str]] = {}
    for route in session.scalars(select(Route).order_by(Route.kind, Route.position)):
        routes.setdefault(route.kind, []).append(route.department_key)
    return routes
