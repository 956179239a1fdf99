"""Cards stay true: after a change to an asset, the card that shows it — its release's card,
or its own card when it has no release — is redrawn in place (``chat.update``) through the
outbox, like every other message."""

from __future__ import annotations

from datetime import date

from bot.assets.messages import asset_card
from bot.releases.messages import release_card
from bot.slack.replies import Update
from bot.storage.asset_models import Asset
from bot.storage.release_models import Release


def release_card_update(release: Release, today: date) -> list[Update]:
    if not (release.card_ts and release.channel_id):
        return []
    text, blocks = release_card(release, list(release.assets), today)
    return [
        Update(
            channel=release.channel_id, ts=release.card_ts, text=text, blocks=blocks, redraw=True
        )
    ]


def card_updates(asset: Asset, today: date) -> list[Update]:
    """The redraw of the card that shows ``asset``, if it has been posted."""
    if asset.release is not None:
        return release_card_update(asset.release, today)
    if not (asset.card_ts and asset.channel_id):
        return []
    text, blocks = asset_card(asset, today)
    return [
        Update(channel=asset.channel_id, ts=asset.card_ts, text=text, blocks=blocks, redraw=True)
    ]
