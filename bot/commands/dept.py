"""/dept: departments, members, approval routes and who receives approved art."""

from __future__ import annotations

from bot.assets.service import parse_kind
from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.commands.parser import parse_list, parse_usergroup, parse_users
from bot.commands.values import channel_id
from bot.core.errors import UsageError, ValidationError
from bot.departments import service as departments
from bot.departments.messages import department_detail, department_list, route_list
from bot.departments.work import Work
from bot.slack.replies import Reply
from bot.slack.text import escape


def list_(work: Work, _invocation: Invocation) -> Reply:
    return department_list(departments.list_departments(work.session))


def show(work: Work, invocation: Invocation) -> Reply:
    (key,) = expect_args(invocation, 1)
    return department_detail(departments.get_department(work.session, key))


def _member_ids(value: str) -> list[str]:
    if not value.strip() or value.strip().lower() == "none":
        return []
    users = parse_users(value, field="members:")
    unknown = [user.name for user in users if user.id is None]
    if unknown:
        raise ValidationError(
            f"I don't know @{unknown[0]}. Pick people from Slack's suggestions so `members:` "
            "holds mentions."
        )
    return [user.id for user in users if user.id]


def _group_id(value: str) -> str:
    if value.strip().lower() == "none":
        return ""
    group = parse_usergroup(value, field="group:")
    if group.id is None:
        raise ValidationError(
            f"I don't know @{group.name}. Pick the user group from Slack's suggestions so "
            "`group:` becomes a mention."
        )
    return group.id


def set_(work: Work, invocation: Invocation) -> Reply:
    (key,) = expect_args(invocation, 1)
    options = invocation.options
    if not options:
        raise UsageError(f"Say what to change. Usage: `{invocation.usage()}`")
    members = _member_ids(options["members"]) if "members" in options else None
    group = _group_id(options["group"]) if "group" in options else None
    channel = options.get("channel")
    dept = departments.set_department(
        work.session,
        actor=work.actor,
        key=key,
        name=options.get("name"),
        members=members,
        usergroup_id=group,
        channel_id=("" if channel.lower() == "none" else channel_id(channel)) if channel else None,
        now=work.now,
    )
    reply = department_detail(dept)
    return Reply(text=f"Updated {escape(dept.name)}.", blocks=reply.blocks)


def route(work: Work, invocation: Invocation) -> Reply:
    if len(invocation.args) < 2:
        raise UsageError(f"Usage: `{invocation.usage()}`")
    kind = parse_kind(invocation.args[0])
    keys = [key.lower().lstrip("@#") for arg in invocation.args[1:] for key in parse_list(arg)]
    if keys == ["none"]:
        keys = []
    saved = departments.set_route(
        work.session,
        actor=work.actor,
        kind=kind,
        depts=keys,
        now=work.now,
    )
    shown = ", ".join(saved) if saved else "nobody (requests must name departments)"
    return Reply(text=f"Approval route for {kind}: {shown}.")


def routes(work: Work, _invocation: Invocation) -> Reply:
    return route_list(departments.all_routes(work.session))


def deliver(work: Work, invocation: Invocation) -> Reply:
    """`deliver` lists who receives approved art; `deliver cover marketing,manufacturing`
    sets it for a kind (`none` for nobody)."""
    if not invocation.args:
        return route_list(
            departments.all_deliveries(work.session),
            title="Who receives approved art",
            empty="_nobody_",
        )
    if len(invocation.args) < 2:
        raise UsageError(f"Usage: `{invocation.usage()}`")
    kind = parse_kind(invocation.args[0])
    keys = [key.lower().lstrip("@#") for arg in invocation.args[1:] for key in parse_list(arg)]
    saved = departments.set_delivery(
        work.session,
        actor=work.actor,
        kind=kind,
        depts=[] if keys == ["none"] else keys,
        now=work.now,
    )
    shown = ", ".join(saved) if saved else "nobody"
    return Reply(text=f"Approved {kind} art goes to: {shown}.")


HANDLERS: dict[str, Handler] = {
    "list": list_,
    "show": show,
    "set": set_,
    "route": route,
    "routes": routes,
    "deliver": deliver,
}
