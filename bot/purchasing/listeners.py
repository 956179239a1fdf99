"""The approve and reject buttons of an invoice waiting for management, and the reject form.

A click is acknowledged at once; the decision runs after the ack in its own unit of work.
The decider is the user Slack signed the click for; the button names only the invoice, and
must match its block. The database takes the first decision; every other click, however
many and from wherever, is told who decided.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError as ModelError
from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.core.errors import PermissionDenied, SleeveError
from bot.departments.work import WorkOpener
from bot.purchasing import invoices
from bot.purchasing.approval import APPROVAL_DM, after_decision, record_message
from bot.purchasing.messages import InvoiceButton, RejectState, reject_modal
from bot.runtime import Runtime
from bot.slack import ids
from bot.slack.delivery import after_ack, hold, send_held, send_now
from bot.slack.errors import user_message
from bot.slack.replies import OpenView

logger = logging.getLogger("sleeve.purchasing")


def read_button(action: dict[str, Any]) -> int:
    try:
        button = InvoiceButton.model_validate_json(str(action.get("value") or ""))
    except ModelError:
        raise PermissionDenied("That button isn't one of Sleeve's; nothing was recorded.") from None
    if action.get("block_id") != ids.invoice_block_id(button.i):
        raise PermissionDenied("That button doesn't belong to this message; nothing was recorded.")
    return button.i


def _tell(respond: Respond | None, text: str) -> None:
    if respond is not None and respond.response_url:
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception:
            logger.warning("could not answer the clicker", exc_info=True)


def decide(
    runtime: Runtime,
    client: WebClient,
    user_id: str,
    invoice_id: int,
    reason: str | None,
    respond: Respond | None,
) -> None:
    limit = runtime.settings.invoice_approval_limit
    try:
        with WorkOpener(runtime, user_id).open(write=True) as work:
            invoice = invoices.decide_invoice(
                work.session,
                actor=work.actor,
                invoice_id=invoice_id,
                approve=reason is None,
                reason=reason,
                now=work.now,
            )
            held = hold(runtime, work.session, after_decision(work.session, invoice, limit))
    except Exception as exc:  # a refusal (or a fault) is told to the clicker alone
        said = user_message(exc, where="invoice.decide")
        if respond is not None and respond.response_url:
            _tell(respond, said)
        else:  # from the reject form: no message to answer under, so by DM
            try:
                client.chat_postMessage(channel=user_id, text=said)
            except Exception:
                logger.warning("could not answer the decider", exc_info=True)
        return
    send_held(runtime, client, held, respond)


def approve(runtime: Runtime, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    try:
        invoice_id = read_button(body["actions"][0])
    except SleeveError as exc:
        _tell(respond, exc.message)
        return
    decide(runtime, client, body["user"]["id"], invoice_id, None, respond)


def open_reject(
    runtime: Runtime, body: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    try:
        invoice_id = read_button(body["actions"][0])
        trigger_id = body.get("trigger_id")
        if not isinstance(trigger_id, str) or not trigger_id:
            raise PermissionDenied("That click came without a way to open the form; click again.")
        with runtime.db.read() as session:
            invoice = invoices.get_invoice(session, invoice_id)
            if invoice.status != "awaiting_approval":
                raise SleeveError(f"{invoice.number} doesn't wait for a decision any more.")
            view = reject_modal(RejectState(invoice_id=invoice_id), invoice)
    except Exception as exc:
        _tell(respond, user_message(exc, where="invoice.reject"))
        return
    send_now(runtime, client, [OpenView(trigger_id=trigger_id, view=view)], respond)


def _reason(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    field = values.get(ids.INVOICE_REASON_BLOCK, {}).get(ids.INVOICE_REASON_INPUT)
    return str((field or {}).get("value") or "").strip()


def register(app: App, runtime: Runtime) -> None:
    runtime.recorders[APPROVAL_DM] = record_message

    def on_approve(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        fields = {"actions": body.get("actions"), "user": body.get("user")}
        after_ack(runtime, approve, runtime, fields, client, respond)

    def on_reject(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        fields = {k: body.get(k) for k in ("actions", "user", "trigger_id")}
        after_ack(runtime, open_reject, runtime, fields, client, respond)

    def on_submit_reject(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        reason = _reason(view)
        if not reason:
            ack(response_action="errors", errors={ids.INVOICE_REASON_BLOCK: "Say why."})
            return
        try:
            state = RejectState.model_validate_json(view.get("private_metadata") or "")
        except ModelError:
            ack(response_action="errors", errors={ids.INVOICE_REASON_BLOCK: "Out of date."})
            return
        ack()
        after_ack(
            runtime, decide, runtime, client, body["user"]["id"], state.invoice_id, reason, None
        )

    app.action(ids.INVOICE_APPROVE)(on_approve)
    app.action(ids.INVOICE_REJECT)(on_reject)
    app.view(ids.INVOICE_REJECT_VIEW)(on_submit_reject)
