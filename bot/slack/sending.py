"""One outbox message to the Web API, paced to Slack's per-channel rate."""

from __future__ import annotations

import base64
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.pacing import ChannelPacer
from bot.slack.limits import check_message
from bot.slack.replies import Ephemeral, Outgoing, Post, Update, Upload

# Seconds to keep off a channel after a 429 that came without Retry-After.
_DEFAULT_RETRY_AFTER = 1.0


def check_item(item: Outgoing) -> None:
    """Raise BlockKitLimitError for a message Slack would refuse as too long."""
    if isinstance(item, Post | Update | Ephemeral):
        check_message(text=item.text, blocks=item.blocks)


def resolve_dm(client: WebClient, item: Outgoing) -> Outgoing:
    """A Post or Upload to a person with its DM channel opened (conversations.open)."""
    if not isinstance(item, Post | Upload) or not item.open_dm:
        return item
    channel = str(client.conversations_open(users=item.channel)["channel"]["id"])
    return item.model_copy(update={"channel": channel, "open_dm": False})


def send_item(
    client: WebClient, pacer: ChannelPacer, item: Outgoing, posted: dict[str, str]
) -> str | None:
    """Send one checked, resolved message; the new message's ts for a Post. Raises what the
    client raised."""
    if isinstance(item, Post):
        return _post(client, pacer, item, posted)
    if isinstance(item, Update):
        client.chat_update(channel=item.channel, ts=item.ts, text=item.text, blocks=item.blocks)
        return None
    if isinstance(item, Upload):
        return _upload(client, pacer, item)
    if isinstance(item, Ephemeral):
        client.chat_postEphemeral(
            channel=item.channel,
            user=item.user,
            text=item.text,
            blocks=item.blocks,
            thread_ts=item.thread_ts,
        )
        return None
    raise TypeError(f"{item.kind} is not sent from the outbox")


def _post(client: WebClient, pacer: ChannelPacer, item: Post, posted: dict[str, str]) -> str:
    channel = item.channel
    thread_ts = item.thread_ts
    if thread_ts is None and item.thread_of is not None:
        thread_ts = posted.get(str(item.thread_of))
    args: dict[str, Any] = {"channel": channel, "text": item.text}
    if item.blocks is not None:
        args["blocks"] = item.blocks
    if thread_ts:
        args["thread_ts"] = thread_ts
    if item.metadata is not None:
        args["metadata"] = item.metadata
    pacer.wait(channel)
    try:
        response = client.chat_postMessage(**args, unfurl_links=False, unfurl_media=False)
    except SlackApiError as exc:
        if exc.response.status_code == 429:
            # The client slept for Retry-After on each retry; keep the channel quiet as long.
            pacer.defer(channel, retry_after_seconds(exc.response.headers or {}))
        raise
    pacer.sent(channel)
    return str(response["ts"])


def _upload(client: WebClient, pacer: ChannelPacer, item: Upload) -> str | None:
    """files.getUploadURLExternal, the upload, files.completeUploadExternal; the file's id."""
    pacer.wait(item.channel)
    response = client.files_upload_v2(
        channel=item.channel,
        thread_ts=item.thread_ts,
        content=base64.b64decode(item.content_b64),
        filename=item.filename,
        title=item.title,
        alt_txt=item.alt_text,
        initial_comment=item.comment,
    )
    pacer.sent(item.channel)
    file = response.get("file") or {}
    return str(file["id"]) if isinstance(file, dict) and file.get("id") else None


def retry_after_seconds(headers: dict[str, Any]) -> float:
    """Slack's Retry-After in seconds (a header name in any case, a value or a list of one)."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return float(value) if value is not None else _DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return _DEFAULT_RETRY_AFTER
