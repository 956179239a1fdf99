"""Handing an approved proof to the departments that need it: a message with the file's
link in each one's channel. On approval for the departments configured for the kind
(`/dept deliver`), or by hand with `/asset deliver`. No Slack calls here: it returns posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.approvals import messages as views
from bot.assets.service import home_thread, label
from bot.core.errors import ConflictError, ValidationError, echo
from bot.departments.service import DepartmentView, list_departments
from bot.domain.approvals import Status
from bot.slack.replies import Post
from bot.slack.text import channel_link
from bot.storage.approval_models import ApprovalRequest
from bot.storage.asset_models import Asset
from bot.storage.department_models import DeliveryRoute
from bot.storage.proof_models import Proof


@dataclass
class Handoff:
    posts: list[Post] = field(default_factory=list)
    sent_to: list[str] = field(default_factory=list)  # channel links
    no_channel: list[str] = field(default_factory=list)  # department names

    def thread_note(self, asset: Asset, proof: Proof) -> list[Post]:
        """The asset's thread hears where the proof went."""
        channel, thread = home_thread(asset)
        text = views.delivered_reply(proof, self.sent_to, self.no_channel)
        return [Post(channel=channel, thread_ts=thread, text=text)] if channel and text else []


def receivers(session: Session, kind: str) -> list[str]:
    return list(
        session.scalars(
            select(DeliveryRoute.department_key)
            .where(DeliveryRoute.kind == kind)
            .order_by(DeliveryRoute.position)
        )
    )


def approved_proof(session: Session, asset: Asset) -> Proof | None:
    """The proof of the asset's latest approved round."""
    return session.scalar(
        select(Proof)
        .join(ApprovalRequest, ApprovalRequest.proof_id == Proof.id)
        .where(ApprovalRequest.asset_id == asset.id, ApprovalRequest.status == Status.APPROVED)
        .order_by(ApprovalRequest.round.desc())
        .limit(1)
    )


def hand_off(
    session: Session, asset: Asset, proof: Proof, dept_keys: list[str] | None = None
) -> Handoff:
    """Posts announcing ``proof`` to the named departments, or those set for its kind."""
    known = {dept.key: dept for dept in list_departments(session)}
    keys = dept_keys if dept_keys is not None else receivers(session, asset.kind)
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError(
            f"There is no department {echo(unknown[0])}. Known: {', '.join(known)}."
        )
    handoff = Handoff()
    for key in dict.fromkeys(keys):
        dept: DepartmentView = known[key]
        if not dept.channel_id:
            handoff.no_channel.append(dept.name)
            continue
        text, blocks = views.delivery_message(asset, proof, dept.name)
        handoff.posts.append(Post(channel=dept.channel_id, text=text, blocks=blocks))
        handoff.sent_to.append(channel_link(dept.channel_id))
    return handoff


def deliver_by_hand(
    session: Session, asset: Asset, dept_keys: list[str] | None
) -> tuple[Proof, Handoff]:
    proof = approved_proof(session, asset)
    if proof is None:
        raise ConflictError(
            f"{label(asset)} has no approved proof yet: a round on a proof version must be "
            f"approved first (`/approval request {label(asset)}`)."
        )
    return proof, hand_off(session, asset, proof, dept_keys)
