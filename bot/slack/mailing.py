"""E-mail from the outbox: one ``Mail`` item composed from its templates and handed to the
runtime's mailer. The delivery engine marks the row *sending* first, as for a digest, so a
mail is never sent twice: a 4xx (MailTemporary) gives the row back to be tried again, a
lost final reply (MailUncertain) leaves it in doubt, never resent on its own. A permanent
refusal is noted in the asset's (or order's) thread and in the mail log."""

from __future__ import annotations

import base64
import logging
from email.headerregistry import Address
from email.utils import parseaddr

from slack_sdk import WebClient
from sqlalchemy import update

from bot.mail.compose import MailSpec, compose, message_id_for, template_environment
from bot.mail.transport import MailPermanent
from bot.runtime import Runtime
from bot.slack.replies import Mail
from bot.storage.mail_models import MailLog

logger = logging.getLogger("sleeve.mail")


def send_mail(runtime: Runtime, client: WebClient, item: Mail) -> None:
    """Compose and send ``item``; raises MailTemporary or MailUncertain for the engine."""
    mailer, sender = runtime.mailer, runtime.settings.mail_from
    if mailer is None:  # mail was turned off after this was saved
        return
    try:
        message = compose(
            MailSpec(
                to_address=item.to_address,
                to_name=item.to_name,
                subject=item.subject,
                text_template=item.mail_kind,
                context=item.context,
                attachments=tuple(
                    (a.filename, a.mimetype, base64.b64decode(a.content_b64))
                    for a in item.attachments
                ),
                reply_to=item.reply_to,
            ),
            sender=sender or "Sleeve <sleeve@localhost>",
            message_id=message_id_for(item.nonce, _domain(sender)),
            templates=template_environment(),
            sent_at=runtime.now(),
        )
        mailer(message)
    except (MailPermanent, ValueError) as exc:
        _failed(runtime, client, item, getattr(exc, "description", None) or str(exc))
        return
    _log(runtime, item, sent=True, error=None)


def _domain(sender: str | None) -> str:
    address = parseaddr(sender or "")[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    return domain or Address(addr_spec="sleeve@localhost").domain


def _failed(runtime: Runtime, client: WebClient, item: Mail, error: str) -> None:
    logger.warning("mail %s to a recipient was refused: %s", item.mail_kind, error)
    _log(runtime, item, sent=False, error=error)
    if not item.note_channel:
        return
    text = f"Couldn't mail {item.to_name} ({item.to_address}) about \u201c{item.subject}\u201d: {error}"
    try:
        runtime.pacer.wait(item.note_channel)
        client.chat_postMessage(
            channel=item.note_channel, thread_ts=item.note_thread_ts, text=text[:3000]
        )
        runtime.pacer.sent(item.note_channel)
    except Exception:
        logger.warning("could not note a refused mail in its thread", exc_info=True)


def _log(runtime: Runtime, item: Mail, *, sent: bool, error: str | None) -> None:
    if item.log_id is None:
        return
    now = runtime.now()
    values = {"sent_at": now} if sent else {"failed_at": now, "error": (error or "")[:300]}
    with runtime.db.write() as session:
        session.execute(update(MailLog).where(MailLog.id == item.log_id).values(**values))
