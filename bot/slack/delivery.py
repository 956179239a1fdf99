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
from typing import Any

from pydantic import TypeAdapter
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.runtime import Runtime
from bot.slack import outbox
from bot.slack.errors import new_reference
from bot.slack.limits import check_message, check_view
from bot.slack.replies import Ephemeral, OpenView, Outgoing, Post, Update

logger = logging.getLogger("sleeve.delivery")
OUTBOX_KEY = "sleeve_outbox_id"
VIEWS_KEY = "sleeve_views"
_ITEM = TypeAdapter(Outgoing)

# What a user is told when Slack refuses a post, by Slack's error code.
_HINTS = {
    "channel_not_found": "the channel doesn't exist or Sleeve can't see it",
    "not_in_channel": "Sleeve isn't in that channel: /invite @Sleeve there",
    "is_archived": "the channel is archived",
    "ratelimited": "Slack is rate-limiting us; it will be tried again",
}


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
    return views, [item for item in items if not isinstance(item, OpenView)]


@dataclass
class Held:
    """An outbox saved in the caller's transaction, claimed by this process already."""

    entry_id: int | None
    views: list[OpenView]
    claimed: Claimed
    held_at: datetime


def hold(
    runtime: Runtime, session: Session, items: list[Outgoing], response_url: str | None = None
) -> Held:
    """For work that already runs after the ack (clicks, jobs): save the outbox in the same
    transaction as the change it reports, claimed, so ``send_held`` needs no claim of its own.
    If this process dies before sending, the sweep takes the row over when the lease ends."""
    views, durable = _split(items)
    entry_id, now = None, runtime.now()
    if durable:
        entry_id = outbox.enqueue(
            session,
            items=[item.model_dump(mode="json") for item in durable],
            response_url=response_url,
            now=now,
            claimed=True,
        )
    return Held(entry_id, views, Claimed(durable, response_url, 0, {}), now)


def send_held(
    runtime: Runtime, client: WebClient, held: Held, respond: Respond | None = None
) -> None:
    """Send what ``hold`` saved; call it once the transaction has committed."""
    _open_views(client, held.views, respond)
    if held.entry_id is None:
        return
    if runtime.now() - held.held_at > outbox.GRACE:
        # It waited (a busy executor): a sweep may have taken the row over meanwhile.
        with runtime.db.write() as session:
            if not outbox.still_held(session, held.entry_id, now=runtime.now()):
                return
    _deliver(runtime, client, held.entry_id, held.claimed, respond)


def send_now(
    runtime: Runtime, client: WebClient, items: list[Outgoing], respond: Respond | None = None
) -> None:
    """Save (claimed), then send: for work after the ack with no transaction of its own."""
    views, durable = _split(items)
    if not durable:
        _open_views(client, views, respond)
        return
    with runtime.db.write() as session:
        held = hold(runtime, session, items, respond.response_url if respond else None)
    send_held(runtime, client, held, respond)


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
    return sum(deliver_entry(runtime, client, entry_id, None) for entry_id in due)


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
) -> bool:
    """Claim a row and send its messages from where it stopped; False when another process
    has it, it was sent already, or Slack was down (then it is given back)."""
    held = _claim(runtime, entry_id)
    if held is None:
        return False
    return _deliver(runtime, client, entry_id, held, respond)


def _deliver(
    runtime: Runtime, client: WebClient, entry_id: int, held: Claimed, respond: Respond | None
) -> bool:
    if respond is None and held.response_url:
        respond = Respond(response_url=held.response_url)
    items, posted = held.items, held.posted
    if held.done >= len(items):
        with runtime.db.write() as session:
            outbox.finish(session, entry_id, now=runtime.now(), done_items=held.done, posted=posted)
        return True
    for index in range(held.done, len(items)):
        item = items[index]
        try:
            ts = _send(client, item, posted)
        except SlackApiError as exc:
            if not _transient(exc):
                # Slack said no (bad channel, archived...): retrying won't change its mind.
                error = str(exc.response.get("error", "unknown_error"))
                logger.warning("Slack refused %s: %s", item.kind, error)
                _tell(respond, f"Saved, but Slack refused the message: {_HINTS.get(error, error)}.")
                ts = None
            else:
                _release(runtime, entry_id, index, exc)
                return False
        except Exception as exc:  # the connection failed on every retry
            _release(runtime, entry_id, index, exc)
            return False
        if ts is not None:
            posted[str(index)] = ts
        try:
            _record(runtime, entry_id, item, index, len(items), posted, ts)
        except Exception as exc:
            # Sent, but not recorded (the database went away): give the row back so a sweep
            # finishes it soon instead of after the lease. That may repeat this one message.
            _release(runtime, entry_id, index, exc)
            raise
    return True


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
            outbox.release(session, entry_id, error=f"{reference}: {exc}")
    except Exception:
        logger.warning("could not give delivery %s back; its claim will expire", entry_id)


def _send(client: WebClient, item: Outgoing, posted: dict[str, str]) -> str | None:
    if isinstance(item, Post):
        check_message(text=item.text, blocks=item.blocks)
        thread_ts = item.thread_ts
        if thread_ts is None and item.thread_of is not None:
            thread_ts = posted.get(str(item.thread_of))
        args: dict[str, Any] = {"channel": item.channel, "text": item.text}
        if item.blocks is not None:
            args["blocks"] = item.blocks
        if thread_ts:
            args["thread_ts"] = thread_ts
        response = client.chat_postMessage(**args, unfurl_links=False, unfurl_media=False)
        return str(response["ts"])
    if isinstance(item, Update):
        check_message(text=item.text, blocks=item.blocks)
        client.chat_update(channel=item.channel, ts=item.ts, text=item.text, blocks=item.blocks)
        return None
    if isinstance(item, Ephemeral):
        check_message(text=item.text, blocks=item.blocks)
        client.chat_postEphemeral(
            channel=item.channel,
            user=item.user,
            text=item.text,
            blocks=item.blocks,
            thread_ts=item.thread_ts,
        )
        return None
    raise TypeError(f"{item.kind} is not sent from the outbox")


def _tell(respond: Respond | None, text: str) -> None:
    if respond is None or not respond.response_url:
        return
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.warning("could not tell the user about a failed delivery", exc_info=True)
