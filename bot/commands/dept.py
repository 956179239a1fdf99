"""/dept: departments, members and approval routes."""

from __future__ import annotations

from bot.commands.dispatch import Handler, Invocation, expect_args
from bot.runtime import Runtime
from bot.services import departments
from bot.slack.replies import Reply
from bot.views.departments import department_detail, department_list


def list_(runtime: Runtime, _invocation: Invocation) -> Reply:
    with runtime.db.read() as session:
        return department_list(departments.list_departments(session))


def show(runtime: Runtime, invocation: Invocation) -> Reply:
    (key,) = expect_args(invocation, 1)
    with runtime.db.read() as session:
        return department_detail(departments.get_department(session, key))


HANDLERS: dict[str, Handler] = {"list": list_, "show": show}
