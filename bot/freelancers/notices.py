"""E-mail for a freelancer outside Slack: the news of their asset a Slack user would see in
its thread (assigned, changes requested, approved, due date moved, cancelled), saved in the
change's own outbox and logged for `/asset show`. Nothing for a freelancer with a Slack user
or who opted out; without a mail server, the thread says they were not notified."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.assets.service import Change, home_thread
from bot.domain.stages import Stage
from bot.mail.compose import long_date, subject_for
from bot.runtime import Runtime
from bot.slack.replies import Mail, Outgoing, Post
from bot.storage.asset_models import Asset
from bot.storage.mail_models import MailLog

SHOWN_IN_ASSET = 5  # the latest mails `/asset show` lists


def freelancer_mail(
    session: Session,
    runtime: Runtime,
    asset: Asset,
    mail_kind: str,
    *,
    now: datetime,
    extra: Mapping[str, Any] | None = None,
) -> list[Outgoing]:
    """The mail (or the "not notified" note) ``mail_kind`` owes ``asset``'s freelancer."""
    freelancer = asset.freelancer
    if freelancer is None or freelancer.slack_user_id or not freelancer.email_notices:
        return []
    channel, thread = home_thread(asset)
    if runtime.mailer is None:
        note = (
            f"F-{freelancer.id} {freelancer.name} has no Slack account and no mail server is "
            "set, so they were not notified."
        )
        return [Post(channel=channel, thread_ts=thread, text=note)] if channel else []
    release = asset.release
    catno = release.catno if release is not None else "—"
    subject = subject_for(mail_kind, catno, f"A-{asset.id}", asset.title)
    if release is None:  # no catalog number to put in brackets
        subject = subject.removeprefix(f"[{catno}] ")
    context: dict[str, Any] = {
        "freelancer_name": freelancer.name,
        "asset_id": f"A-{asset.id}",
        "asset_title": asset.title,
        "catalog_number": catno,
        "release_title": release.title if release is not None else "",
        "coordinator_name": runtime.settings.label_name or "The production team",
        **(extra or {}),
    }
    log = MailLog(
        asset_id=asset.id,
        to_address=freelancer.email,
        mail_kind=mail_kind,
        subject=subject[:300],
        queued_at=now,
    )
    session.add(log)
    session.flush()
    mail = Mail(
        mail_kind=mail_kind,
        to_address=freelancer.email,
        to_name=freelancer.name,
        subject=subject,
        context=context,
        log_id=log.id,
        note_channel=channel,
        note_thread_ts=thread,
    )
    return [mail]


def mail_for_change(
    session: Session, runtime: Runtime, change: Change, *, now: datetime
) -> list[Outgoing]:
    """A freelancer outside Slack hears of a moved due date or a cancelled asset by mail."""
    asset = change.asset
    if change.field == "due":
        extra = {"due_date": due_text(change.after), "previous_due_date": due_text(change.before)}
        return freelancer_mail(session, runtime, asset, "due_moved", now=now, extra=extra)
    if change.field == "stage" and change.after == Stage.CANCELLED:
        extra = {"reason": asset.cancel_reason or ""}
        return freelancer_mail(session, runtime, asset, "cancelled", now=now, extra=extra)
    return []


def due_text(due: date | None) -> str:
    return long_date(due) if due is not None else "no due date"


def mailed(session: Session, asset_id: int) -> list[MailLog]:
    """The latest mails about an asset, newest first."""
    query = (
        select(MailLog)
        .where(MailLog.asset_id == asset_id)
        .order_by(MailLog.id.desc())
        .limit(SHOWN_IN_ASSET)
    )
    return list(session.scalars(query))
