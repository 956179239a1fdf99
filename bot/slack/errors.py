"""One error handler for the whole app.

A ``SleeveError`` is the user's to fix: its message is shown ephemerally where the user is
(the command's reply, the modal's field, or an ephemeral after a click). Anything else is
ours: the user gets a reference id, the log gets the same id with the traceback.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.context.respond import Respond

from bot.core.errors import SleeveError

logger = logging.getLogger("sleeve.errors")


def new_reference() -> str:
    return "ERR-" + secrets.token_hex(3).upper()


def unexpected_message(reference: str) -> str:
    return (
        f"Something went wrong on our side (reference {reference}). It has been logged; "
        "please try again, or give the reference to your Slack admin."
    )


def user_message(error: Exception, *, where: str) -> str:
    if isinstance(error, SleeveError):
        return error.message
    reference = new_reference()
    # The request body is never logged: it carries tokens and user text.
    logger.error("unexpected error in %s (reference %s)", where, reference, exc_info=error)
    return unexpected_message(reference)


def _json(body: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(body), headers={"content-type": "application/json"}
    )


def _first_input_block(view: dict[str, Any]) -> str | None:
    for block in view.get("blocks", []):
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def make_error_handler(background: Executor) -> Callable[..., BoltResponse | None]:
    def handle_error(
        error: Exception, body: dict[str, Any], respond: Respond | None
    ) -> BoltResponse | None:
        kind = body.get("type") or ("command" if "command" in body else "event")
        message = user_message(error, where=str(body.get("command") or kind))
        if kind == "command":
            return _json({"response_type": "ephemeral", "text": message})
        if kind == "view_submission":
            block_id = _first_input_block(body.get("view") or {})
            if block_id:
                return _json({"response_action": "errors", "errors": {block_id: message}})
        if respond is not None and respond.response_url:
            # After the ack: the click must be acknowledged at once, the explanation can follow.
            background.submit(_respond_quietly, respond, message)
        return BoltResponse(status=200, body="")

    return handle_error


def _respond_quietly(respond: Respond, message: str) -> None:
    try:
        respond(text=message, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.warning("could not deliver an error message to the user", exc_info=True)
