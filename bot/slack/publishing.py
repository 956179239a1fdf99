"""App Home redraws from the outbox, coalesced and paced per person.

A ``Publish`` item names only the person; the view is built when the item is sent, from the
state then. The first redraw of a quiet Home goes at once and takes its one-second slot;
any redraw saved while the slot is taken waits for it and, unless a later row redraws the
same Home (then that one will), publishes the newest state. So a burst of a hundred
decisions redraws each Home at most once a second and always ends on the last state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.slack.limits import check_view
from bot.slack.replies import Publish

logger = logging.getLogger("sleeve.home")
HOME = "home"  # the name the Home's builder is registered under in ``runtime.publishers``


def publish(
    runtime: Runtime, client: WebClient, item: Publish, superseded: Callable[[], bool]
) -> None:
    """Publish the person's Home now or after their slot; nothing when a later row will.
    Raises what may pass (the network, Slack's 5xx or 429), so the row is tried again."""
    build = runtime.publishers.get(HOME)
    if build is None:  # no Home in this app (a test app, a job runner)
        return
    slot = f"home:{item.user}"
    while (wait := runtime.pacer.take_if_free(slot)) > 0:
        runtime.pacer.pause(wait)
        if superseded():
            return
    try:
        view = build(item.user)
        check_view(view)
        client.views_publish(user_id=item.user, view=view)
    except SlackApiError as exc:
        status = getattr(exc.response, "status_code", 200)
        if status >= 500 or status == 429:
            raise
        # A Home Slack refuses (the user left, the view is invalid) is not worth a retry.
        logger.warning("Slack refused an App Home: %s", exc.response.get("error"))
    finally:
        runtime.pacer.sent(slot)
