"""The shell's fake Slack starts empty each session, but the database remembers the cards
and open rounds an earlier session posted: put them back at their own timestamps, so they
are redrawn in place and their buttons can still be clicked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.approvals.flow import roster
from bot.approvals.messages import approval_message
from bot.assets.messages import asset_card
from bot.assets.service import home_thread
from bot.devtools.workspace import Workspace
from bot.domain.approvals import Status
from bot.releases.messages import release_card
from bot.storage.approval_models import ApprovalRequest
from bot.storage.asset_models import Asset
from bot.storage.release_models import Release


def restore_posts(ws: Workspace) -> int:
    """Cards and pending rounds back into the fake Slack; how many."""
    today, restored = ws.runtime.today(), 0
    with ws.runtime.db.read() as session:
        for release in session.scalars(
            select(Release)
            .where(Release.card_ts.is_not(None))
            .options(selectinload(Release.assets))
        ):
            text, blocks = release_card(release, list(release.assets), today)
            ws.fake.restore_message(release.channel_id, release.card_ts or "", text, blocks)
            restored += 1
        for asset in session.scalars(select(Asset).where(Asset.card_ts.is_not(None))):
            text, blocks = asset_card(asset, today)
            ws.fake.restore_message(asset.channel_id or "", asset.card_ts or "", text, blocks)
            restored += 1
        depts = roster(session)
        for request in session.scalars(
            select(ApprovalRequest)
            .where(
                ApprovalRequest.status == Status.PENDING, ApprovalRequest.message_ts.is_not(None)
            )
            .options(selectinload(ApprovalRequest.steps))
        ):
            asset = request.asset
            _channel, thread = home_thread(asset)
            text, blocks = approval_message(request, asset, depts, ws.runtime.tz)
            ws.fake.restore_message(
                request.channel_id or "", request.message_ts or "", text, blocks, thread
            )
            restored += 1
    return restored
