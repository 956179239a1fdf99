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
from bot.storage.department_models import DeliveryRoute, Department, DepartmentMember, Route

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


RouteModel = type[Route] | type[DeliveryRoute]


def set_route(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    depts: list[str],
    now: datetime,
) -> list[str]:
    """Who approves ``kind``, in order."""
    require_coordinator(actor, "change approval routes")
    return _set_kind_departments(session, Route, actor, kind, depts, now)


def set_delivery(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    depts: list[str],
    now: datetime,
) -> list[str]:
    """Which departments' channels hear of an approved proof of ``kind``."""
    require_coordinator(actor, "change who receives approved art")
    return _set_kind_departments(session, DeliveryRoute, actor, kind, depts, now)


def _set_kind_departments(
    session: Session,
    model: RouteModel,
    actor: Actor,
    kind: str,
    depts: list[str],
    now: datetime,
) -> list[str]:
    known = {d.key for d in list_departments(session)}
    unknown = [key for key in depts if key not in known]
    if unknown:
        raise ValidationError(
            f"There is no department {echo(unknown[0])}. Known: {', '.join(sorted(known))}."
        )
    before = kind_departments(session, model).get(kind, [])
    session.execute(delete(model).where(model.kind == kind))
    wanted = list(dict.fromkeys(depts))
    for position, key in enumerate(wanted):
        session.add(model(kind=kind, department_key=key, position=position))
    record(
        session,
        at=now,
        actor=actor.user_id,
        entity="route" if model is Route else "delivery",
        entity_id=kind,
        action="set",
        before={"departments": before},
        after={"departments": wanted},
    )
    return wanted


def kind_departments(
    session: Session, model: RouteModel, kind: str | None = None
) -> dict[str, list[str]]:
    """Kind -> department keys in order, for every kind (or one)."""
    query = select(model).order_by(model.kind, model.position)
    if kind is not None:
        query = query.where(model.kind == kind)
    found: dict[str, list[str]] = {}
    for row in session.scalars(query):
        found.setdefault(row.kind, []).append(row.department_key)
    return found


def all_routes(session: Session) -> dict[str, list[str]]:
    return kind_departments(session, Route)


def all_deliveries(session: Session) -> dict[str, list[str]]:
    return kind_departments(session, DeliveryRoute)
