"""Small Block Kit helpers shared by the message builders, all slack_sdk models: sections,
contexts and headers, and long lists cut to fit a message with "…and N more" and the
command that shows the rest. A builder turns its blocks into dicts once, with ``to_dicts``;
the models check each block's own limits as they do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.slack.limits import MAX_SECTION_TEXT

Blocks = list[dict[str, Any]]
BlockLike = Block | dict[str, Any]
# Room left for the header, summary and footer blocks around a list.
LIST_BUDGET_CHARS = 9_000
SECTION_CHARS = MAX_SECTION_TEXT - 100


def to_dicts(blocks: Sequence[BlockLike]) -> Blocks:
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]


def mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def section(text: str) -> SectionBlock:
    return SectionBlock(text=mrkdwn(text))


def fields_section(texts: Sequence[str]) -> SectionBlock:
    """A section of up to 10 short mrkdwn fields, shown two to a row."""
    return SectionBlock(fields=[mrkdwn(text) for text in texts])


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[mrkdwn(text)])


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=text))


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
    used = shown = in_chunk = 0
    for line in lines:
        cost = len(line) + 1
        if used + cost > budget:
            break
        if in_chunk + cost > SECTION_CHARS:
            if len(sections) + 1 >= max_sections:
                break
            sections.append(section("\n".join(chunk)))
            chunk, in_chunk = [], 0
        chunk.append(line)
        in_chunk += cost
        used += cost
        shown += 1
    if chunk:
        sections.append(section("\n".join(chunk)))
    hidden = total - shown
    if hidden > 0:
        tail = f"…and {hidden}{'+' if at_least else ''} more"
        sections.append(context(f"{tail}: `{more_command}`" if more_command else tail))
    return sections
