"""The "New asset" modal opened by `/asset new` with no arguments."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from slack_sdk.models.blocks import (
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.catalog import KINDS
from bot.slack import ids
from bot.slack.limits import MAX_SELECT_OPTIONS
from bot.slack.text import truncate

TITLE_MAX = 200
NOTES_MAX = 2000


class NewAssetState(BaseModel):
    """Rides in private_metadata: where the card goes (None: the form asks, as a global
    shortcut has no channel), and the message it was made from, whose link it keeps."""

    model_config = ConfigDict(extra="forbid")

    channel_id: str | None
    message_ts: str | None = None


def _release_picker(releases: list[tuple[str, str]]) -> InputBlock:
    return InputBlock(
        block_id=ids.ASSET_RELEASE_BLOCK,
        label="Release",
        optional=True,
        hint="Leave empty for merch or promo that belongs to no release.",
        element=StaticSelectElement(
            action_id=ids.ASSET_RELEASE_INPUT,
            options=[
                Option(text=truncate(f"{catno} {title}", 75), value=catno)
                for catno, title in releases[:MAX_SELECT_OPTIONS]
            ],
        ),
    )


def new_asset_modal(
    releases: list[tuple[str, str]],
    *,
    channel_id: str | None,
    notes: str | None = None,
    message_ts: str | None = None,
) -> dict[str, Any]:
    """``releases`` are (catalog number, title) pairs for the picker, latest first; without
    ``channel_id`` the form asks where the card goes; ``notes`` prefill the notes."""
    blocks: list[Any] = []
    if channel_id is None:
        blocks.append(
            InputBlock(
                block_id=ids.ASSET_CHANNEL_BLOCK,
                label="Channel for its card",
                element=ConversationSelectElement(
                    action_id=ids.ASSET_CHANNEL_INPUT,
                    default_to_current_conversation=True,
                    filter=ConversationFilter(include=["public", "private"]),
                ),
            )
        )
    blocks += [
        InputBlock(
            block_id=ids.ASSET_TITLE_BLOCK,
            label="Title",
            element=PlainTextInputElement(
                action_id=ids.ASSET_TITLE_INPUT,
                max_length=TITLE_MAX,
                placeholder="Front cover",
            ),
        ),
        InputBlock(
            block_id=ids.ASSET_KIND_BLOCK,
            label="Kind",
            element=StaticSelectElement(
                action_id=ids.ASSET_KIND_INPUT,
                options=[Option(text=kind.label, value=kind.key) for kind in KINDS.values()],
            ),
        ),
    ]
    if releases:
        blocks.append(_release_picker(releases))
    blocks += [
        InputBlock(
            block_id=ids.ASSET_DUE_BLOCK,
            label="Due date",
            element=DatePickerElement(action_id=ids.ASSET_DUE_INPUT),
        ),
        InputBlock(
            block_id=ids.ASSET_OWNER_BLOCK,
            label="Owner",
            optional=True,
            hint="You, if left empty.",
            element=UserSelectElement(action_id=ids.ASSET_OWNER_INPUT),
        ),
        InputBlock(
            block_id=ids.ASSET_NOTES_BLOCK,
            label="Notes",
            optional=True,
            element=PlainTextInputElement(
                action_id=ids.ASSET_NOTES_INPUT,
                multiline=True,
                max_length=NOTES_MAX,
                initial_value=truncate(notes, NOTES_MAX) if notes else None,
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=ids.ASSET_NEW_VIEW,
        title="New asset",
        submit="Create",
        close="Cancel",
        private_metadata=NewAssetState(
            channel_id=channel_id, message_ts=message_ts
        ).model_dump_json(),
        blocks=blocks,
    )
    return view.to_dict()
