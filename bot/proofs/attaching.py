"""Files becoming proof versions, whichever way they arrive (a file shared in a thread, the
"Attach as proof…" shortcut): recorded in one unit of work with what it says in Slack.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.approvals.flow import roster, round_posts
from bot.assets.service import home_thread
from bot.core.errors import SleeveError
from bot.departments.work import Work
from bot.proofs import messages as views
from bot.proofs import service as proofs
from bot.slack.replies import Ephemeral, Outgoing, Post


@dataclass
class Attached:
    """What recording some files said, and the proofs to preflight after the ack."""

    items: list[Outgoing] = field(default_factory=list)
    new_proofs: list[int] = field(default_factory=list)


def attach(
    work: Work,
    asset_id: int,
    files: list[proofs.SharedFile],
    *,
    told: tuple[str, str | None],
) -> Attached:
    """Record ``files`` as versions of the asset; ``told`` is where the sharer hears of it
    (a channel and thread). Raises SleeveError when refused: the caller's unit of work
    then records nothing, and ``refusal`` says why to the sharer alone."""
    attached = Attached()
    for file in files:
        _attach_one(work, asset_id, file, told, attached)
    return attached


def refusal(user_id: str, told: tuple[str, str | None], error: SleeveError) -> Ephemeral:
    return Ephemeral(channel=told[0], user=user_id, text=error.message, thread_ts=told[1])


def _attach_one(
    work: Work,
    asset_id: int,
    file: proofs.SharedFile,
    told: tuple[str, str | None],
    attached: Attached,
) -> None:
    recorded = proofs.record_proof(
        work.session,
        actor=work.actor,
        asset_id=asset_id,
        file=file,
        now=work.now,
    )
    proof, reopened = recorded.proof, recorded.reopened
    asset = proof.asset
    round_number = reopened.request.round if reopened is not None else None
    text = views.recorded_text(asset, proof, new=recorded.new, reopened_round=round_number)
    attached.items.append(
        Ephemeral(channel=told[0], user=work.user_id, text=text, thread_ts=told[1])
    )
    if not recorded.new:
        return
    attached.new_proofs.append(proof.id)
    if reopened is not None and reopened.superseded is not None:
        depts = roster(work.session)
        attached.items += round_posts(work.runtime, work.session, reopened, depts, told[0])
        channel, thread = home_thread(asset)
        note = views.reopened_reply(asset, proof, reopened.superseded.round, round_number or 0)
        attached.items.append(Post(channel=channel or told[0], thread_ts=thread, text=note))
