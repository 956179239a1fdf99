"""What creating an asset posts: its card, or a line in its release's thread."""

from __future__ import annotations

from bot.assets import messages
from bot.assets import service as assets
from bot.departments.work import Work
from bot.slack.replies import Post
from bot.storage.asset_models import Asset

ASSET_CARD = "asset_card"  # the recorder that stores a new card's ts


def announce(work: Work, asset: Asset, channel_id: str) -> Post:
    """A new asset's card, or its line in its release's thread (the command and the modal)."""
    line = messages.asset_line(asset, work.today)
    if asset.release is not None:
        channel, thread = assets.home_thread(asset)
        return Post(channel=channel or channel_id, thread_ts=thread, text=f"New asset: {line}")
    text, blocks = messages.asset_card(asset, work.today)
    return Post(
        channel=channel_id,
        text=text,
        blocks=blocks,
        record=ASSET_CARD,
        record_id=asset.id,
    )
