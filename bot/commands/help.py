"""Help for a noun: every verb with its usage, as an ephemeral reply."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.commands.catalog import Noun
from bot.slack.replies import Reply


def help_reply(noun: Noun) -> Reply:
    lines = [f"`{noun.command} {verb.usage}`\n{verb.summary}" for verb in noun.verbs.values()]
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{noun.command}* — {noun.description}")),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text='Quote values with spaces: `title:"Front cover"`. '
                    "Dates: 2027-05-14, today, tomorrow, +3d, +2w, fri."
                )
            ]
        ),
    ]
    return Reply(text=f"{noun.command} help", blocks=[block.to_dict() for block in blocks])
