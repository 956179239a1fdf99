"""Small Block Kit helpers shared by the view builders: dicts from slack_sdk models, and long
lists cut to fit a message with "…and N more" and the command that shows the rest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.views.limits import MAX_SECTION_TEXT

Blocks = list[dict[str, Any]]
# Room left for the header, summary and footer blocks around a list.
LIST_BUDGET_CHARS = 9_000
SECTION_CHARS = MAX_SECTION_TEXT - 100


def to_dicts(blocks: Sequence[Block]) -> Blocks:
    return [block.to_dict() for block in blocks]


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def line_sections(
    lines: Sequence[str],
    *,
    total: int | None = None,
    more_command: str | None = None,
    budget: int = LIST_BUDGET_CHARS,
    max_sections: int = 10,
    at_least: bool = False,
) -> list[Block]:
    """Pack lines into sections within the per-section and per-message limits.

    ``total`` is how many items exist in all (when ``lines`` is already a page of them); the
    ones not shown are counted in a closing "…and N more" line naming ``more_command``
    ("N+ more" when ``at_least``: the count stopped at ``total``).
    """
    total = len(lines) if total is None else total
    sections: list[Block] = []
    chunk: list[str] = []
    used = shown = 0
    for line in lines:
        cost = len(line) + 1
        if used + cost > budget:
            break
        if sum(len(item) + 1 for item in chunk) + cost > SECTION_CHARS:
            if len(sections) + 1 >= max_sections:
                break
            sections.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
        used += cost
        shown += 1
    if chunk:
        sections.append(section("\n".join(chunk)))
    hidden = total - shown
    if hidden > 0:
        tail = f"…and {hidden}{'+' if at_least else ''} more"
        sections.append(context(f"{tail}: `{more_command}`" if more_command else tail))
    return sections
