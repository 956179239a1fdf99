"""What the fake Slack answers on a response_url: ephemeral replies, in-channel posts, edits
and deletes of the original message, each URL good for a few uses as Slack's are."""

from __future__ import annotations

from typing import Any

from bot.devtools.fake_slack_models import (
    RESPONSE_URL_USES,
    Body,
    Ephemeral,
    ResponsePost,
    truthy,
)


class ResponseUrls:
    """Mixed into ``SlackState``, whose workspace state these methods read and change."""

    lock: Any
    response_urls: dict[str, Any]
    responses: list[ResponsePost]
    messages: dict[tuple[str, str], Any]
    deleted: list[Any]
    ephemerals: list[Ephemeral]

    def response_post(self, key: str, payload: Body) -> tuple[int, str]:
        """Slack's answer to a POST on a response_url: (HTTP status, plain-text body)."""
        with self.lock:
            status, body = self._respond(key, payload)
            self.responses.append(ResponsePost(key, payload, status, body))
            return status, body

    def _respond(self, key: str, payload: Body) -> tuple[int, str]:
        target = self.response_urls.get(key)
        if target is None:
            return 404, "no_service"
        if target.uses >= RESPONSE_URL_USES:
            return 404, "used_url"
        original = self.messages.get((target.channel or "", target.message_ts or ""))
        if truthy(payload.get("delete_original")):
            target.uses += 1
            if original is not None:
                self.deleted.append(self.messages.pop((original.channel, original.ts)))
            return 200, "ok"
        text, blocks = payload.get("text"), payload.get("blocks")
        if problem := self.message_error(text, blocks):
            return 400, problem["error"]
        target.uses += 1
        replace = truthy(payload.get("replace_original"))
        if replace and original is not None:
            self.edit(original, text or "", blocks)
        elif payload.get("response_type") == "in_channel" and not replace:
            if target.channel is None or self.channel(target.channel) is None:
                return 404, "channel_not_found"
            thread_ts = payload.get("thread_ts")
            self.store(target.channel, text or "", blocks, thread_ts, via="response_url")
        else:
            thread_ts = payload.get("thread_ts")
            self.ephemerals.append(
                Ephemeral(
                    target.channel, target.user, text or "", blocks or None, thread_ts,
                    self.next_ts(), "response_url", replace,
                )
            )  # fmt: skip
        return 200, "ok"
