"""Block Kit for /dept list and /dept show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock

from bot.domain.catalog import KINDS
from bot.slack.replies import Reply
from bot.slack.text import channel_link, escape, group_mention, mention

if TYPE_CHECKING:
    from bot.departments.service import DepartmentView


def _who(dept: DepartmentView) -> str:
    parts = [mention(user) for user in dept.members]
    if dept.usergroup_id:
        parts.append(group_mention(dept.usergroup_id))
    return ", ".join(parts) if parts else "_no members yet_"


def department_list(departments: list[DepartmentView]) -> Reply:
    lines = [f"*{escape(d.name)}* (`{d.key}`) — {_who(d)}" for d in departments]
    blocks = [
        HeaderBlock(text="Departments"),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
    ]
    return Reply(text="Departments", blocks=[block.to_dict() for block in blocks])


def department_detail(dept: DepartmentView) -> Reply:
    fields = [
        MarkdownTextObject(text=f"*Members*\n{_who(dept)}"),
        MarkdownTextObject(
            text=f"*Channel*\n{channel_link(dept.channel_id) if dept.channel_id else '—'}"
        ),
        MarkdownTextObject(text="*Approves*\n" + (", ".join(dept.routes) if dept.routes else "—")),
    ]
    blocks = [
        HeaderBlock(text=dept.name[:150]),
        SectionBlock(text=MarkdownTextObject(text=f"`{dept.key}`"), fields=fields),
    ]
    return Reply(text=f"Department {dept.key}", blocks=[block.to_dict() for block in blocks])


def route_list(
    routes: dict[str, list[str]],
    title: str = "Approval routes",
    empty: str = "_name them in each request_",
) -> Reply:
    lines = [f"*{kind}* → {', '.join(routes.get(kind, [])) or empty}" for kind in KINDS]
    blocks = [
        HeaderBlock(text=title),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
    ]
    return Reply(text=title, blocks=[block.to_dict() for block in blocks])
