"""App Home: published when a user opens the tab."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.departments.service import list_departments
from bot.digests.content import copy_unlocked
from bot.home.messages import HOME_COPY_LINES, home_view
from bot.runtime import Runtime
from bot.slack.delivery import after_ack
from bot.slack.limits import check_view

logger = logging.getLogger("sleeve.home")


def register(app: App, runtime: Runtime) -> None:
    def publish_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        user_id = str(event["user"])
        with runtime.db.read() as session:
            mine = [d for d in list_departments(session) if user_id in d.members]
            unlocked = copy_unlocked(session, limit=HOME_COPY_LINES).items
        view = home_view(mine, unlocked)
        check_view(view)
        try:
            client.views_publish(user_id=user_id, view=view)
        except Exception:
            logger.warning("could not publish App Home", exc_info=True)

    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        # Bolt acknowledges an event when this returns; the view is published after.
        after_ack(runtime, publish_home, event, client)

    app.event("app_home_opened")(on_home_opened)
