"""The slash-command listener: one for every noun (each noun has a module of handlers).

One listener, not one per noun: Bolt runs every listener's matcher in turn until one
matches, and each matcher call costs about as much as a small read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands import approval, asset, dept, digest, freelancer, release
from bot.commands.catalog import NOUNS
from bot.commands.dispatch import Handler, run_command
from bot.runtime import Runtime
from bot.slack.delivery import deliver_after_ack, stash

HANDLERS: dict[str, Mapping[str, Handler]] = {
    "release": release.HANDLERS,
    "asset": asset.HANDLERS,
    "dept": dept.HANDLERS,
    "approval": approval.HANDLERS,
    "freelancer": freelancer.HANDLERS,
    "digest": digest.HANDLERS,
}
RECORDERS = {**release.RECORDERS, **asset.RECORDERS, **approval.RECORDERS, **digest.RECORDERS}


def register_commands(app: App, runtime: Runtime) -> None:
    runtime.recorders.update(RECORDERS)
    nouns = {noun.command: noun for noun in NOUNS.values()}

    def on_command(
        ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        noun = nouns[command["command"]]
        response_url = command.get("response_url")
        reply = run_command(
            runtime,
            noun,
            HANDLERS.get(noun.name, {}),
            text=command.get("text") or "",
            user_id=command["user_id"],
            channel_id=command["channel_id"],
            trigger_id=command.get("trigger_id"),
            save=lambda reply: stash(runtime, context, reply.outbox, response_url),
        )
        body = reply.ack_body()
        ack(body) if body else ack()
        deliver_after_ack(runtime, client, context, response_url)

    app.command(re.compile("^(" + "|".join(map(re.escape, nouns)) + ")$"))(on_command)
