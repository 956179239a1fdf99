"""The slash-command listener: one for every noun (each noun has a module of handlers).

One listener, not one per noun: Bolt runs every listener's matcher in turn until one
matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands import (
    approval,
    asset,
    asset_modal,
    dept,
    digest,
    freelancer,
    invoice,
    labelcopy,
    order,
    release,
    vendor,
)
from bot.commands.catalog import NOUNS
from bot.commands.dispatch import Handler, run_command
from bot.departments.work import Work
from bot.runtime import Runtime
from bot.slack.delivery import deliver_after_ack, save
from bot.slack.middleware import WORK_KEY
from bot.slack.replies import Reply

HANDLERS: dict[str, Mapping[str, Handler]] = {
    "release": release.HANDLERS,
    "asset": asset.HANDLERS,
    "dept": dept.HANDLERS,
    "approval": approval.HANDLERS,
    "freelancer": freelancer.HANDLERS,
    "digest": digest.HANDLERS,
    "labelcopy": labelcopy.HANDLERS,
    "vendor": vendor.HANDLERS,
    "order": order.HANDLERS,
    "invoice": invoice.HANDLERS,
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

        def keep_outbox(work: Work, reply: Reply) -> None:
            save(work.session, context, reply.outbox, now=work.now, response_url=response_url)

        reply = run_command(
            context[WORK_KEY],
            noun,
            HANDLERS.get(noun.name, {}),
            text=command.get("text") or "",
            channel_id=command["channel_id"],
            trigger_id=command.get("trigger_id"),
            save=keep_outbox,
        )
        body = reply.ack_body()
        ack(body) if body else ack()
        deliver_after_ack(runtime, client, context, response_url)

    app.command(re.compile("^(" + "|".join(map(re.escape, nouns)) + ")$"))(on_command)
    asset_modal.register(app, runtime)
