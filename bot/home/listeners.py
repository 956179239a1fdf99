"""App Home: recorded and published when a person opens the tab, and redrawn through the
outbox after changes that touch them (``releases.cards.home_redraws``): the view is built
here, when each redraw is sent."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.core.errors import SleeveError
from bot.departments.service import list_departments
from bot.home.content import build_home
from bot.home.messages import home_view
from bot.home.service import opened
from bot.runtime import Runtime
from bot.slack.delivery import after_ack, send_now
from bot.slack.groups import UsergroupDirectory
from bot.slack.publishing import HOME
from bot.slack.replies import Publish

logger = logging.getLogger("sleeve.home")


def home_builder(runtime: Runtime, groups: UsergroupDirectory) -> Any:
    def build(user_id: str) -> dict[str, Any]:
        with runtime.db.read() as session:
            with_groups = [d.usergroup_id for d in list_departments(session) if d.usergroup_id]
        for group_id in with_groups:  # asked outside the transaction; cached a minute
            with contextlib.suppress(SleeveError):
                groups.members(group_id)
        with runtime.db.read() as session:
            content = build_home(
                session,
                user_id=user_id,
                day=runtime.today(),
                stage_days=runtime.stage_days,
                group_members=groups.known,
            )
        return home_view(content)

    return build


def register(app: App, runtime: Runtime) -> None:
    runtime.publishers[HOME] = home_builder(runtime, UsergroupDirectory(app.client))

    def publish_home(user_id: str, client: WebClient) -> None:
        with runtime.db.write() as session:
            opened(session, user_id=user_id, now=runtime.now())
        send_now(runtime, client, [Publish(user=user_id)])

    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        # Bolt acknowledges an event when this returns; the view is published after.
        after_ack(runtime, publish_home, str(event["user"]), client)

    app.event("app_home_opened")(on_home_opened)
