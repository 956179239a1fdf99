"""/approval: request sign-off in the asset's thread, see what is pending, override."""

from __future__ import annotations

from bot.approvals import closing, requesting
from bot.approvals import messages as views
from bot.approvals import service as approvals
from bot.approvals.flow import APPROVAL_MESSAGE, after_decision, redraw, roster, round_posts
from bot.assets.service import home_thread
from bot.commands.dispatch import Handler, Invocation
from bot.commands.parser import parse_list
from bot.commands.values import asset_id, date_option, required
from bot.core.errors import UsageError, echo
from bot.departments.work import Work
from bot.slack.replies import Outgoing, Post, Reply
from bot.slack.text import escape

PENDING_LIMIT = 200


def request(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    raw = invocation.options.get("depts")
    depts = [key.lower().lstrip("@#") for key in parse_list(raw)] if raw is not None else None
    if depts == []:
        raise UsageError("`depts:` names departments, e.g. depts:marketing,legal.")
    due = date_option(invocation, "due", work.today)
    outcome = requesting.request_approval(
        work.session,
        actor=work.actor,
        asset_id=wanted,
        depts=depts,
        due=due,
        note=invocation.options.get("note"),
        now=work.now,
        proof_version=proof_version(invocation.options.get("proof")),
    )
    request = outcome.request
    depts_by_key = roster(work.session)
    outbox = round_posts(work.runtime, work.session, outcome, depts_by_key, invocation.channel_id)
    names = ", ".join(escape(depts_by_key[s.department_key].name) for s in request.steps)
    text = f"Asked {names} to approve A-{wanted} (round {request.round}) in its thread."
    if request.skipped_keys:
        left = ", ".join(escape(depts_by_key[k].name) for k in request.skipped_keys)
        text += f" Not asked, though on the route: {left}."
    if request.proof is not None:
        text += f" It is for proof {request.proof.label}."
    if outcome.superseded is not None:
        text += f" It replaces round {outcome.superseded.round}, which no longer counts."
    return Reply(text=text, outbox=outbox)


def proof_version(value: str | None) -> int | None:
    """``v2`` or ``2``; None for the latest."""
    if value is None:
        return None
    digits = value.strip().lower().removeprefix("v")
    if not digits.isdigit() or not 0 < int(digits) < 100_000:
        raise UsageError(f"`proof:` names a version like v2, not {echo(value)}.")
    return int(digits)


def pending(work: Work, invocation: Invocation) -> Reply:
    words = {word.lower() for word in invocation.args}
    if words - {"mine"}:
        raise UsageError(f"Usage: `{invocation.usage()}`")
    requests, total = approvals.pending_requests(work.session, limit=PENDING_LIMIT)
    depts = roster(work.session)
    title = "Approvals waiting"
    if "mine" in words:
        mine = {key for key, dept in depts.items() if invocation.user_id in dept.members}
        requests = [
            r
            for r in requests
            if any(
                s.department_key in mine and s.status == approvals.Status.PENDING for s in r.steps
            )
        ]
        total, title = len(requests), "Approvals waiting on your departments"
    if not requests:
        return Reply(text="Nothing is waiting for approval.")
    lines = views.pending_lines(requests, depts, work.now)
    return Reply(
        text=f"{total} approvals waiting", blocks=views.pending_blocks(lines, total, title)
    )


def status(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    request = approvals.latest_request(work.session, wanted)
    if request is None:
        return Reply(text=f"A-{wanted} has no approval rounds yet: `/approval request A-{wanted}`.")
    text, blocks = views.approval_message(
        request, request.asset, roster(work.session), work.runtime.tz, buttons=False
    )
    return Reply(text=text, blocks=blocks)


def cancel(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    request = closing.cancel_round(
        work.session,
        actor=work.actor,
        asset_id=wanted,
        reason=invocation.options.get("reason"),
        now=work.now,
    )
    outbox: list[Outgoing] = list(redraw(work.runtime, work.session, request))
    channel, thread = home_thread(request.asset)
    notice = views.cancelled_reply(request, work.actor.user_id)
    if channel:
        outbox.append(Post(channel=channel, thread_ts=thread, text=notice))
    return Reply(text=f"Cancelled round {request.round} of A-{wanted}.", outbox=outbox)


def override(work: Work, invocation: Invocation) -> Reply:
    wanted = asset_id(invocation)
    dept = required(invocation, "dept", "dept:legal").lower()
    reason = required(invocation, "reason", 'reason:"Signed off by phone"')
    decided = approvals.override(
        work.session, actor=work.actor, asset_id=wanted, dept_key=dept, reason=reason, now=work.now
    )
    items = after_decision(work.runtime, work.session, decided)
    done = " The round is complete." if decided.completed else ""
    return Reply(text=f"Approved A-{wanted} for {echo(dept)} by override.{done}", outbox=items)


HANDLERS: dict[str, Handler] = {
    "request": request,
    "pending": pending,
    "status": status,
    "cancel": cancel,
    "override": override,
}
RECORDERS = {APPROVAL_MESSAGE: approvals.record_message}
