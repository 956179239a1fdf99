"""The lazy half of every listener: Web API work after the ack, from a Reply's outbox."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.slack.errors import new_reference
from bot.slack.replies import Ephemeral, OpenView, Outbox, Outgoing, Post, Update
from bot.views.limits import check_message, check_view

logger = logging.getLogger("sleeve.delivery")
OUTBOX_KEY = "sleeve_outbox"

# What a user is told when Slack refuses a post, by Slack's error code.
_HINTS = {
    "channel_not_found": "the channel doesn't exist or Sleeve can't see it",
    "not_in_channel": "Sleeve isn't in that channel: /invite @Sleeve there",
    "is_archived": "the channel is archived",
    "ratelimited": "Slack is rate-limiting us; try again in a minute",
}


def deliver(runtime: Runtime, client: WebClient, outbox: Outbox, respond: Respond | None) -> None:
    posted: dict[int, str] = {}
    for index, item in enumerate(outbox.items):
        try:
            ts = _send(client, item, posted)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            logger.warning("Slack refused %s: %s", item.kind, error)
            _tell(respond, f"Saved, but Slack refused the message: {_HINTS.get(error, error)}.")
            continue
        except Exception:
            reference = new_reference()
            logger.exception("could not deliver %s (reference %s)", item.kind, reference)
            _tell(respond, f"Saved, but the Slack message failed (reference {reference}).")
            continue
        if ts is not None:
            posted[index] = ts
            if isinstance(item, Post) and item.record and item.record_id is not None:
                runtime.recorders[item.record](runtime, item.record_id, item.channel, ts)


def _send(client: WebClient, item: Outgoing, posted: dict[int, str]) -> str | None:
    if isinstance(item, Post):
        check_message(text=item.text, blocks=item.blocks)
        thread_ts = item.thread_ts
        if thread_ts is None and item.thread_of is not None:
            thread_ts = posted.get(item.thread_of)
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
    if isinstance(item, OpenView):
        check_view(item.view)
        client.views_open(trigger_id=item.trigger_id, view=item.view)
        return None
    raise TypeError(f"unknown outgoing item {item!r}")


def _tell(respond: Respond | None, text: str) -> None:
    if respond is None or not respond.response_url:
        return
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.warning("could not tell the user about a failed delivery", exc_info=True)


def stash(context: dict[str, Any], items: list[Outgoing]) -> None:
    """Leave the outbox for the lazy listener (Bolt copies the context after the ack)."""
    if items:
        context[OUTBOX_KEY] = Outbox(items=items).model_dump(mode="json")


def after_ack_listener(runtime: Runtime) -> Any:
    """The lazy listener every command, click and submission shares."""

    def after_ack(context: dict[str, Any], client: WebClient, respond: Respond | None) -> None:
        raw = context.get(OUTBOX_KEY)
        if raw:
            deliver(runtime, client, Outbox.model_validate(raw), respond)

    return after_ack
