"""The Web API half of every listener, after the ack.

A listener's outbox is saved in the database in the request's own transaction, before the
ack (``save``); right after the ack a thread of the runtime's executor claims and sends it
(``deliver_after_ack``),
recording progress after each message. If the process dies first, or is too busy to start
within the grace period, any replica's sweep (``drain``) sends it, so an acknowledged
change never loses its messages. Work that already runs after the ack (a click's decision,
a job) saves its outbox claimed, in the change's own transaction (``hold``), and sends it
as soon as that commits (``send_held``).
Opening a modal is the exception: its trigger expires in three seconds, so it is sent
straight from memory or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from pydantic import TypeAdapter
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.runtime import Runtime
from bot.slack import outbox
from bot.slack.client import REFUSAL_HINTS, definitely_not_done, describe
from bot.slack.delivered import Delivery, Outcome
from bot.slack.errors import new_reference
from bot.slack.limits import BlockKitLimitError, check_view
from bot.slack.mailing import send_mail
from bot.slack.publishing import publish
from bot.slack.replies import (
    Mail,
    OpenView,
    Outgoing,
    Post,
    Publish,
    Update,
    Upload,
    publishes_last,
)
from bot.slack.sending import check_item, resolve_dm, send_item

logger = logging.getLogger("sleeve.delivery")
OUTBOX_KEY = "sleeve_outbox_id"
VIEWS_KEY = "sleeve_views"
_ITEM = TypeAdapter(Outgoing)


def save(
    session: Session,
    context: MutableMapping[str, Any],
    items: list[Outgoing],
    *,
    now: datetime,
    response_url: str | None = None,
) -> None:
    """Save the outbox in the request's own transaction; once it has committed and the
    request is acked, ``deliver_after_ack`` sends it."""
    views, durable = _split(items)
    if views:
        context[VIEWS_KEY] = [item.model_dump(mode="json") for item in views]
    if durable:
        context[OUTBOX_KEY] = outbox.enqueue(
            session,
            items=[item.model_dump(mode="json") for item in durable],
            response_url=response_url,
            now=now,
        )


def _split(items: list[Outgoing]) -> tuple[list[OpenView], list[Outgoing]]:
    """Modals to open straight away, and the messages the outbox keeps."""
    views = [item for item in items if isinstance(item, OpenView)]
    return views, publishes_last([item for item in items if not isinstance(item, OpenView)])


@dataclass
class Held:
    """An outbox saved in the caller's transaction, claimed by this process already."""

    entry_id: int | None
    views: list[OpenView]
    claimed: Claimed
    held_at: datetime


def hold(
    runtime: Runtime,
    session: Session,
    items: list[Outgoing],
    response_url: str | None = None,
    *,
    key: str | None = None,
) -> Held:
    """For work that already runs after the ack (clicks, jobs): save the outbox in the same
    transaction as the change it reports, claimed, so ``send_held`` needs no claim of its own.
    If this process dies before sending, the sweep takes the row over when the lease ends.
    A ``key`` saved already (by any process) saves nothing, and ``send_held`` sends nothing."""
    views, durable = _split(items)
    entry_id, now = None, runtime.now()
    if durable:
        entry_id = outbox.enqueue(
            session,
            items=[item.model_dump(mode="json") for item in durable],
            response_url=response_url,
            now=now,
            claimed=True,
            key=key,
        )
    return Held(entry_id, views, Claimed(durable, response_url, 0, {}), now)


def send_held(
    runtime: Runtime, client: WebClient, held: Held, respond: Respond | None = None
) -> Delivery:
    """Send what ``hold`` saved; call it once the transaction has committed."""
    _open_views(client, held.views, respond)
    if held.entry_id is None:
        return Delivery(Outcome.NOT_MINE)
    if runtime.now() - held.held_at > outbox.GRACE:
        # It waited (a busy executor): a sweep may have taken the row over meanwhile.
        with runtime.db.write() as session:
            if not outbox.still_held(session, held.entry_id, now=runtime.now()):
                return Delivery(Outcome.NOT_MINE)
    return _deliver(runtime, client, held.entry_id, held.claimed, respond)


def send_now(
    runtime: Runtime, client: WebClient, items: list[Outgoing], respond: Respond | None = None
) -> Delivery:
    """Save (claimed), then send: for work after the ack with no transaction of its own."""
    views, durable = _split(items)
    if not durable:
        _open_views(client, views, respond)
        return Delivery(Outcome.SENT)
    with runtime.db.write() as session:
        held = hold(runtime, session, items, respond.response_url if respond else None)
    return send_held(runtime, client, held, respond)


def deliver_after_ack(
    runtime: Runtime,
    client: WebClient,
    context: MutableMapping[str, Any],
    response_url: str | None = None,
) -> None:
    """Send what ``save`` saved on the runtime's executor; call it just after ``ack()``.

    Nothing is submitted when there is nothing to send (most read commands).
    """
    pending = {key: context[key] for key in (VIEWS_KEY, OUTBOX_KEY) if key in context}
    if not pending:
        return
    respond = Respond(response_url=response_url) if response_url else None
    after_ack(runtime, _after, runtime, client, pending, respond)


def after_ack(runtime: Runtime, work: Callable[..., None], *args: Any) -> None:
    """Run ``work(*args)`` on the runtime's executor; call it just after ``ack()``.

    Work handed over here gets only what it reads of the request, not the whole body.
    """
    runtime.executor.submit(_logged, work, *args)


def _logged(work: Callable[..., None], *args: Any) -> None:
    try:
        work(*args)
    except Exception:
        # An outbox row left unsent is the sweep's to finish.
        logger.exception("work after the ack failed (reference %s)", new_reference())


def _after(
    runtime: Runtime, client: WebClient, context: MutableMapping[str, Any], respond: Respond | None
) -> None:
    _open_views(
        client, [OpenView.model_validate(raw) for raw in context.get(VIEWS_KEY) or []], respond
    )
    entry_id = context.get(OUTBOX_KEY)
    if entry_id is not None:
        deliver_entry(runtime, client, int(entry_id), respond)


def _open_views(client: WebClient, views: list[OpenView], respond: Respond | None) -> None:
    for view in views:
        try:
            check_view(view.view)
            client.views_open(trigger_id=view.trigger_id, view=view.view)
        except Exception as exc:
            logger.warning("could not open a modal: %s", exc)
            _tell(respond, "Slack didn't open the form in time; run the command again.")


def drain(runtime: Runtime, client: WebClient) -> int:
    """Send what other processes left behind (they died, or Slack was down); returns rows sent."""
    with runtime.db.read() as session:
        due = outbox.due(session, now=runtime.now())
    return sum(bool(deliver_entry(runtime, client, entry_id, None)) for entry_id, _key in due)


@dataclass
class Claimed:
    """A row this process holds: what is left to send and what was sent."""

    items: list[Outgoing]
    response_url: str | None
    done: int
    posted: dict[str, str]


def _claim(runtime: Runtime, entry_id: int) -> Claimed | None:
    with runtime.db.write() as session:
        entry = outbox.claim(session, entry_id, now=runtime.now())
        if entry is None:
            return None  # sent already, or another process is sending it
        items = [_ITEM.validate_python(raw) for raw in entry.items]
        return Claimed(items, entry.response_url, entry.done_items, dict(entry.posted))


def deliver_entry(
    runtime: Runtime, client: WebClient, entry_id: int, respond: Respond | None
) -> Delivery:
    """Claim a row and send its messages from where it stopped."""
    held = _claim(runtime, entry_id)
    if held is None:
        return Delivery(Outcome.NOT_MINE)
    return _deliver(runtime, client, entry_id, held, respond)


def _deliver(
    runtime: Runtime, client: WebClient, entry_id: int, held: Claimed, respond: Respond | None
) -> Delivery:
    if respond is None and held.response_url:
        respond = Respond(response_url=held.response_url)
    items, posted, errors = held.items, held.posted, []
    if held.done >= len(items):
        with runtime.db.write() as session:
            outbox.finish(session, entry_id, now=runtime.now(), done_items=held.done, posted=posted)
        return Delivery(Outcome.SENT, posted=posted)
    for index in range(held.done, len(items)):
        item, in_flight = items[index], False
        if _superseded(runtime, entry_id, item):
            _record(runtime, entry_id, item, index, len(items), posted, None)
            continue
        try:
            check_item(item)
            item = resolve_dm(client, item)
            if (isinstance(item, Post) and item.once) or isinstance(item, Upload | Mail):
                if not _mark_sending(runtime, entry_id):
                    return Delivery(Outcome.NOT_MINE)
                in_flight = True
            ts = _send(runtime, client, entry_id, item, posted)
        except Exception as exc:
            stopped = _failed(runtime, entry_id, index, item, exc, in_flight, respond)
            if stopped is not None:
                return stopped
            errors.append(describe(exc))
            ts = None
        if ts is not None:
            posted[str(index)] = ts
        try:
            _record(runtime, entry_id, item, index, len(items), posted, ts)
        except Exception as exc:
            # Sent, but not recorded (the database went away): give the row back so a sweep
            # finishes it soon instead of after the lease. That may repeat this one message.
            _release(runtime, entry_id, index, exc)
            raise
    return Delivery(Outcome.SENT, errors, posted)


def _send(
    runtime: Runtime, client: WebClient, entry_id: int, item: Outgoing, posted: dict[str, str]
) -> str | None:
    if isinstance(item, Publish):
        publish(runtime, client, item, partial(_superseded, runtime, entry_id, item))
        return None
    if isinstance(item, Mail):
        send_mail(runtime, client, item)
        return None
    return send_item(client, runtime.pacer, item, posted)


def _failed(
    runtime: Runtime,
    entry_id: int,
    index: int,
    item: Outgoing,
    exc: Exception,
    in_flight: bool,
    respond: Respond | None,
) -> Delivery | None:
    """What a failed message means for its row; None to carry on with the next message."""
    if isinstance(exc, BlockKitLimitError) or (
        isinstance(exc, SlackApiError) and not _transient(exc)
    ):
        # Slack said no (bad channel, archived...), or would: retrying won't change its mind.
        error = (
            str(exc.response.get("error", "unknown_error"))
            if isinstance(exc, SlackApiError)
            else "too_long"
        )
        logger.warning("Slack refused %s: %s", item.kind, error)
        _tell(respond, f"Saved, but Slack refused the message: {REFUSAL_HINTS.get(error, error)}.")
        return None
    if in_flight and not definitely_not_done(exc):
        _uncertain(runtime, entry_id, exc)
        return Delivery(Outcome.UNCERTAIN, [describe(exc)])
    _release(runtime, entry_id, index, exc)
    return Delivery(Outcome.PAUSED, [describe(exc)])


def _record(
    runtime: Runtime,
    entry_id: int,
    item: Outgoing,
    index: int,
    count: int,
    posted: dict[str, str],
    ts: str | None,
) -> None:
    with runtime.db.write() as session:
        if ts is not None and isinstance(item, Post) and item.record and item.record_id is not None:
            runtime.recorders[item.record](session, item.record_id, item.channel, ts)
        if index + 1 == count:
            outbox.finish(session, entry_id, now=runtime.now(), done_items=count, posted=posted)
        else:
            outbox.record_progress(
                session, entry_id, done_items=index + 1, posted=posted, now=runtime.now()
            )


def _superseded(runtime: Runtime, entry_id: int, item: Outgoing) -> bool:
    """A card redraw that a later row redraws again: only the newest is worth sending."""
    redraws = isinstance(item, Update | Publish)
    message = outbox.redraw_of(item.model_dump(mode="json")) if redraws else None
    if message is None:
        return False
    with runtime.db.read() as session:
        return outbox.redrawn_later(session, message, entry_id)


def _mark_sending(runtime: Runtime, entry_id: int) -> bool:
    with runtime.db.write() as session:
        return outbox.mark_sending(session, entry_id, now=runtime.now())


def _uncertain(runtime: Runtime, entry_id: int, exc: Exception) -> None:
    logger.error(
        "delivery %s: Slack may or may not have the message (%s); it is not sent again on its own",
        entry_id,
        describe(exc),
    )
    with runtime.db.write() as session:
        outbox.mark_uncertain(session, entry_id, error=describe(exc))


def _transient(exc: SlackApiError) -> bool:
    """A 5xx or a 429 that outlasted the client's own retries: worth another try later."""
    status = getattr(exc.response, "status_code", 200)
    return status >= 500 or status == 429


def _release(runtime: Runtime, entry_id: int, index: int, exc: Exception) -> None:
    reference = new_reference()
    logger.warning(
        "delivery %s paused at message %s (reference %s): %s", entry_id, index, reference, exc
    )
    try:
        with runtime.db.write() as session:
            outbox.release(session, entry_id, error=f"{reference}: {exc}", now=runtime.now())
    except Exception:
        logger.warning("could not give delivery %s back; its claim will expire", entry_id)


def _tell(respond: Respond | None, text: str) -> None:
    if respond is None or not respond.response_url:
        return
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.warning("could not tell the user about a failed delivery", exc_info=True)
