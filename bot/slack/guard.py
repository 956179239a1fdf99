"""A shape check on every verified request, before any listener sees it.

Slack's payloads have a known shape; a signed body that doesn't (a replay tool gone wrong, a
forged payload signed with a leaked secret, a Slack change) is answered 400 here instead of
failing somewhere inside Bolt's matching with a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from bot.slack.limits import MAX_BUTTON_VALUE, MAX_VIEW_BYTES

logger = logging.getLogger("sleeve.guard")
# Slack sends at most 4,000 typed characters, escaping each & as &amp;: 20,000 at worst.
# Longer can't be Slack's; anything up to it reaches the command, which answers in words.
MAX_COMMAND_TEXT = 20_000
MAX_ACTIONS = 25

Check = Callable[[dict[str, Any]], str | None]


def _str(value: Any, limit: int = 255) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _user(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not _str(user.get("id"), 32):
        return "user"
    return None


def _block_actions(body: dict[str, Any]) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not 1 <= len(actions) <= MAX_ACTIONS:
        return "actions"
    for action in actions:
        if not isinstance(action, dict) or not _str(action.get("action_id")):
            return "action_id"
        if "block_id" in action and not _str(action["block_id"]):
            return "block_id"
        if "value" in action and not _str(action["value"], MAX_BUTTON_VALUE):
            return "value"
    for key in ("container", "message", "channel", "view", "state"):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            return key
    return _user(body)


def _view(body: dict[str, Any]) -> str | None:
    view = body.get("view")
    if not isinstance(view, dict) or not _str(view.get("callback_id")):
        return "view"
    if not _str(view.get("private_metadata", ""), 3000):
        return "private_metadata"
    state = view.get("state", {})
    if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict):
        return "state"
    if len(str(view)) > MAX_VIEW_BYTES:
        return "view size"
    return _user(body)


def _command(body: dict[str, Any]) -> str | None:
    for key in ("command", "user_id", "channel_id"):
        if not _str(body.get(key), 64):
            return key
    if not _str(body.get("text", ""), MAX_COMMAND_TEXT):
        return "text"
    return None


def _event(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if body.get("type") == "event_callback" and not isinstance(event, dict):
        return "event"
    return None


CHECKS: dict[str, Check] = {
    "block_actions": _block_actions,
    "view_submission": _view,
    "view_closed": _view,
    "event_callback": _event,
    "url_verification": lambda body: None,
}


def problem(body: Any) -> str | None:
    """What is wrong with a request body's shape, or None when it looks like Slack's."""
    if not isinstance(body, dict):
        return "body"
    if "command" in body and "type" not in body:
        return _command(body)
    kind = body.get("type")
    if not isinstance(kind, str):
        return "type" if "ssl_check" not in body else None
    check = CHECKS.get(kind)
    return check(body) if check else None  # unknown types fall through to Bolt's 404


def _reparse_form(req: BoltRequest) -> None:
    """Bolt reads any form body containing the word "payload" as an interactive payload, so a
    slash command like `/asset new "Payload poster"` would arrive empty; read it as a form."""
    if req.mode != "http" or req.body or "payload" not in req.raw_body:
        return
    params = dict(parse_qsl(req.raw_body, keep_blank_values=True))
    if params and "payload" not in params:
        req.body = params
        build_context(req.context, req.body)


class GuardedApp(App):
    """A Bolt app that refuses malformed bodies before dispatching them.

    Bolt's own matching indexes into payloads (``body["actions"][0]``) before any middleware
    of ours runs, so the check sits in front of ``dispatch``. A malformed body that is not
    properly signed still gets Bolt's 401, so the answer reveals nothing to a forger.
    """

    def __init__(self, *, signing_secret: str, **kwargs: Any) -> None:
        super().__init__(signing_secret=signing_secret, **kwargs)
        self._shape_verifier = SignatureVerifier(signing_secret)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        _reparse_form(req)
        found = problem(req.body) if req.mode == "http" else None
        if found is None:
            return super().dispatch(req)
        if not self._signed(req):
            return BoltResponse(status=401, body={"error": "invalid request"})
        logger.warning("refused a malformed request (%s)", found)
        return BoltResponse(status=400, body={"error": "malformed request"})

    def _signed(self, req: BoltRequest) -> bool:
        def header(name: str) -> str | None:
            values = req.headers.get(name) or [None]
            return values[0]

        return self._shape_verifier.is_valid(
            body=req.raw_body,
            timestamp=header("x-slack-request-timestamp"),
            signature=header("x-slack-signature"),
        )
