"""What an approval decision sends to Slack: the redrawn round message and, when the round
closes, one thread reply. Shared by buttons, the modal, overrides and reminders."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.approvals import messages as views
from bot.approvals.conditions import add_conditions
from bot.approvals.handoff import hand_off
from bot.approvals.reminders import claim_reminders
from bot.approvals.requesting import Requested
from bot.approvals.service import Decided
from bot.assets.service import home_thread
from bot.departments.service import DepartmentView, list_departments
from bot.freelancers.notices import due_text, freelancer_mail
from bot.releases.cards import card_updates, home_redraws
from bot.runtime import Runtime
from bot.slack.delivery import send_now
from bot.slack.replies import Outgoing, Post, Update
from bot.storage.approval_models import ApprovalRequest

logger = logging.getLogger("sleeve.approvals")
APPROVAL_MESSAGE = "approval_message"


def roster(session: Session) -> dict[str, DepartmentView]:
    return {dept.key: dept for dept in list_departments(session)}


def redraw(
    runtime: Runtime,
    session: Session,
    request: ApprovalRequest,
    depts: dict[str, DepartmentView] | None = None,
) -> list[Outgoing]:
    if not (request.channel_id and request.message_ts):
        return []
    depts = depts if depts is not None else roster(session)
    text, blocks = views.approval_message(request, request.asset, depts, runtime.tz)
    return [Update(channel=request.channel_id, ts=request.message_ts, text=text, blocks=blocks)]


def round_posts(
    runtime: Runtime,
    session: Session,
    outcome: Requested,
    depts: dict[str, DepartmentView],
    fallback_channel: str,
) -> list[Outgoing]:
    """A new round's message in the asset's thread, the superseded round redrawn closed,
    and the cards showing the asset in review."""
    request = outcome.request
    text, blocks = views.approval_message(request, request.asset, depts, runtime.tz)
    channel, thread = home_thread(request.asset)
    items: list[Outgoing] = []
    if outcome.superseded is not None:
        items += redraw(runtime, session, outcome.superseded, depts)
    items.append(
        Post(
            channel=channel or fallback_channel,
            thread_ts=thread,
            text=text,
            blocks=blocks,
            record=APPROVAL_MESSAGE,
            record_id=request.id,
        )
    )
    return items + card_updates(request.asset, runtime.today())


def after_decision(
    runtime: Runtime,
    session: Session,
    decided: Decided,
    depts: dict[str, DepartmentView] | None = None,
    *,
    redraw_card: bool = False,
) -> list[Outgoing]:
    """The redrawn round and its thread reply; ``depts`` is the roster, when already read;
    ``redraw_card`` when the card changed anyway (conditions were added)."""
    request, asset = decided.request, decided.request.asset
    depts = depts if depts is not None else roster(session)
    items = redraw(runtime, session, request, depts)
    touched = {"request_id": request.id, "also": [decided.step.decided_by]}
    if decided.completed or decided.changes or redraw_card:  # the card shows the stage
        items += card_updates(asset, runtime.today(), **touched)
    else:  # the Homes that listed this step
        items += home_redraws(session, asset, **touched)
    channel, thread = home_thread(asset)
    channel = request.channel_id or channel
    if channel is None:
        return items
    items += _freelancer_news(runtime, session, decided)
    if decided.completed:
        reply = views.all_approved_reply(asset, request, depts)
        items.append(Post(channel=channel, thread_ts=thread, text=reply))
        if request.proof is not None:
            handoff = hand_off(session, asset, request.proof)
            items += handoff.posts + handoff.thread_note(asset, request.proof)
    elif decided.changes:
        dept = depts[decided.step.department_key]
        items.append(
            Post(
                channel=channel,
                thread_ts=thread,
                text=views.changes_reply(asset, dept, decided.step),
            )
        )
    return items


def _freelancer_news(runtime: Runtime, session: Session, decided: Decided) -> list[Outgoing]:
    """The same news by mail to a freelancer outside Slack."""
    asset, now = decided.request.asset, runtime.now()
    if decided.completed:
        return freelancer_mail(session, runtime, asset, "approved", now=now)
    if decided.changes:
        extra = {"reason": decided.step.reason or "", "due_date": due_text(asset.due)}
        return freelancer_mail(session, runtime, asset, "changes_requested", now=now, extra=extra)
    return []


def with_conditions(
    session: Session,
    decided: Decided,
    depts: dict[str, DepartmentView],
    *,
    note: str,
    user_id: str,
    now: datetime,
) -> list[Outgoing]:
    """An approval with changes: its conditions recorded and quoted in the asset's thread."""
    request, step = decided.request, decided.step
    added = add_conditions(
        session, request=request, dept_key=step.department_key, note=note, by=user_id, now=now
    )
    channel, thread = home_thread(request.asset)
    channel = request.channel_id or channel
    if channel is None:
        return []
    dept = depts[step.department_key]
    text = views.conditions_reply(request.asset, dept.name, user_id, added)
    return [Post(channel=channel, thread_ts=thread, text=text)]


def send_reminders(runtime: Runtime, client: WebClient) -> int:
    """Remind every round pending past SLEEVE_APPROVAL_REMIND_HOURS, at most once a day."""
    from datetime import timedelta

    with runtime.db.write() as session:
        claimed = claim_reminders(
            session,
            now=runtime.now(),
            today=runtime.today(),
            remind_after=timedelta(hours=runtime.settings.approval_remind_hours),
        )
        depts = roster(session)
        items: list[Outgoing] = []
        for request in claimed:
            channel, thread = home_thread(request.asset)
            channel = request.channel_id or channel
            if channel:
                text = views.reminder_text(request, request.asset, depts, runtime.now())
                items.append(Post(channel=channel, thread_ts=thread, text=text))
    if items:
        send_now(runtime, client, items)
    return len(items)
