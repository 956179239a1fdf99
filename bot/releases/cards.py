"""Cards and Homes stay true: after a change to an asset, the card that shows it — its
release's card, or its own card when it has no release — is redrawn in place
(``chat.update``), and so is the App Home of each person it touches, through the outbox
like every other message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from bot.assets.messages import asset_card
from bot.releases.messages import release_card
from bot.slack.replies import Outgoing, Publish, Update
from bot.storage.approval_models import ApprovalRequest, ApprovalStep
from bot.storage.asset_models import Asset
from bot.storage.department_models import DepartmentMember
from bot.storage.home_models import HomeTab
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


def card_updates(
    asset: Asset, today: date, *, request_id: int | None = None, also: Iterable[str | None] = ()
) -> list[Outgoing]:
    """The redraw of the card that shows ``asset``, if it has been posted, and of the Homes
    of the people it touches (see ``home_redraws``)."""
    homes = home_redraws(object_session(asset), asset, request_id=request_id, also=also)
    if asset.release is not None:
        return [*release_card_update(asset.release, today), *homes]
    if not (asset.card_ts and asset.channel_id):
        return homes
    text, blocks = asset_card(asset, today)
    update = Update(
        channel=asset.channel_id, ts=asset.card_ts, text=text, blocks=blocks, redraw=True
    )
    return [update, *homes]


def home_redraws(
    session: Session | None,
    asset: Asset,
    *,
    request_id: int | None = None,
    also: Iterable[str | None] = (),
) -> list[Outgoing]:
    """A redraw of the Home of everyone ``asset`` touches who has opened theirs: its owner,
    its freelancer, the listed members of the departments an open round of it waits on (and
    of every department of round ``request_id``, just decided), and ``also``. One query."""
    if session is None:
        return []
    people = {asset.owner_id, *also}
    if asset.freelancer is not None:
        people.add(asset.freelancer.slack_user_id)
    rounds = or_(ApprovalRequest.status == "pending", ApprovalRequest.id == request_id)
    deciders = (
        select(DepartmentMember.user_id)
        .join(ApprovalStep, ApprovalStep.department_key == DepartmentMember.department_key)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalStep.request_id)
        .where(ApprovalRequest.asset_id == asset.id, rounds)
    )
    known = [person for person in people if person]
    watching = select(HomeTab.user_id).where(
        or_(HomeTab.user_id.in_(known), HomeTab.user_id.in_(deciders))
    )
    return [Publish(user=user) for user in sorted(session.scalars(watching))]
