"""The App Home tab: who you are to Sleeve and where to start."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.commands.catalog import NOUNS
from bot.digests.messages import copy_line
from bot.slack.text import escape

if TYPE_CHECKING:
    from bot.departments.service import DepartmentView
    from bot.digests.content import UnlockedCopy


HOME_COPY_LINES = 10  # lines of ~200 characters: well inside a section's 3,000


def home_view(
    user_departments: list[DepartmentView], unlocked: Sequence[UnlockedCopy] = ()
) -> dict[str, Any]:
    if user_departments:
        names = ", ".join(escape(dept.name) for dept in user_departments)
        role = f"You decide for: *{names}*."
    else:
        role = "You aren't in a department yet; a coordinator can add you with `/dept set`."
    commands = "\n".join(f"`{noun.command} help` — {noun.description}" for noun in NOUNS.values())
    blocks = [
        HeaderBlock(text="Sleeve"),
        SectionBlock(text=MarkdownTextObject(text=role)),
        DividerBlock(),
    ]
    if unlocked:
        lines = "\n".join(f"• {copy_line(item)}" for item in unlocked[:HOME_COPY_LINES])
        heading = "*In review, label copy not locked*"
        blocks += [
            SectionBlock(text=MarkdownTextObject(text=f"{heading}\n{lines}")),
            DividerBlock(),
        ]
    blocks += [
        SectionBlock(text=MarkdownTextObject(text=commands)),
        ContextBlock(
            elements=[MarkdownTextObject(text="Approvals happen in each asset's thread.")]
        ),
    ]
    return View(type="home", blocks=blocks).to_dict()
