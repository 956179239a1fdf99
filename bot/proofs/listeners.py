"""Where proofs come in: a file shared in an asset's thread, and the "Attach as proof…"
message shortcut with its modal. Acks never wait on a download; the preflight starts after.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError as ModelError
from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import SleeveError
from bot.departments.work import WorkOpener
from bot.proofs import messages as views
from bot.proofs import service as proofs
from bot.proofs.attaching import attach, refusal
from bot.proofs.runner import runner_for
from bot.runtime import Runtime
from bot.slack import ids
from bot.slack.delivery import after_ack, deliver_after_ack, save, send_now
from bot.slack.middleware import WORK_KEY
from bot.slack.replies import Ephemeral, OpenView

logger = logging.getLogger("sleeve.proofs")
Files = list[proofs.SharedFile]


def shared_files(event: dict[str, Any]) -> tuple[Files, list[str]]:
    """Complete file objects, and ids of those Slack sent as stubs (files.info tells)."""
    complete: Files = []
    stubs: list[str] = []
    for raw in event.get("files") or []:
        if not isinstance(raw, dict) or not raw.get("id"):
            continue
        if raw.get("file_access") == "check_file_info" or not raw.get("name"):
            stubs.append(str(raw["id"]))
            continue
        try:
            complete.append(proofs.SharedFile.model_validate(raw))
        except ModelError:
            stubs.append(str(raw["id"]))
    return complete, stubs


def register(app: App, runtime: Runtime) -> None:
    def file_info(client: WebClient, file_ids: list[str]) -> Files:
        return [
            proofs.SharedFile.model_validate(client.files_info(file=file_id)["file"])
            for file_id in file_ids
        ]

    def attach_now(
        opener: WorkOpener,
        client: WebClient,
        asset_id: int,
        files: Files,
        told: tuple[str, str | None],
    ) -> None:
        """After the ack: record, say so, start the preflights."""
        held: dict[str, Any] = {}
        try:
            with opener.open(write=True) as work:
                attached = attach(work, asset_id, files, told=told)
                save(work.session, held, attached.items, now=work.now)
        except SleeveError as exc:
            send_now(runtime, client, [refusal(opener.user_id, told, exc)])
            return
        deliver_after_ack(runtime, client, held)
        for proof_id in attached.new_proofs:
            runner_for(runtime, client).submit(proof_id)

    def attach_later(
        opener: WorkOpener,
        client: WebClient,
        asset_id: int,
        file_ids: list[str],
        told: tuple[str, str | None],
    ) -> None:
        try:
            files = file_info(client, file_ids)
        except (SlackApiError, ModelError):
            text = "Slack wouldn't show Sleeve that file (files:read, and Sleeve in the channel?)."
            send_now(runtime, client, [refusal(opener.user_id, told, SleeveError(text))])
            return
        attach_now(opener, client, asset_id, files, told)

    def on_file_share(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        channel, thread = event.get("channel"), event.get("thread_ts")
        if event.get("bot_id") or not (channel and thread and event.get("user")):
            return  # only people's files in a thread can be proofs
        opener: WorkOpener = context[WORK_KEY]
        with opener.open(write=False) as work:
            asset = proofs.asset_for_thread(work.session, channel, thread, event.get("text") or "")
            if asset is None:
                return
            asset_id = asset.id
        complete, stubs = shared_files(event)
        told = (str(channel), str(thread))
        if complete:
            after_ack(runtime, attach_now, opener, client, asset_id, complete, told)
        if stubs:
            after_ack(runtime, attach_later, opener, client, asset_id, stubs, told)

    def on_other_message(event: dict[str, Any]) -> None:
        """Every other message in the channels Sleeve is in: nothing to do."""

    app.event({"type": "message", "subtype": "file_share"})(on_file_share)
    app.event("message")(on_other_message)
    register_shortcut(app, runtime, attach_later)


def register_shortcut(app: App, runtime: Runtime, attach_later: Any) -> None:
    def on_shortcut(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "")
        file_ids = [
            str(f["id"]) for f in message.get("files") or [] if isinstance(f, dict) and f.get("id")
        ]
        if not file_ids or not channel:
            ack()
            after_ack(runtime, _say_no_file, runtime, client, channel, body)
            return
        state = views.AttachState(c=channel, t=message.get("thread_ts"), f=file_ids[:10])
        names = [
            str(f.get("name") or f.get("id"))
            for f in message.get("files") or []
            if isinstance(f, dict)
        ]
        opener: WorkOpener = context[WORK_KEY]
        with opener.open(write=False) as work:
            guess = proofs.suggested_asset(work.session, channel, message)
            view = views.attach_modal(state, names, f"A-{guess}" if guess else None)
            save(
                work.session,
                context,
                [OpenView(trigger_id=str(body.get("trigger_id") or ""), view=view)],
                now=work.now,
            )
        ack()
        deliver_after_ack(runtime, client, context)

    def on_submit(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        try:
            state = views.AttachState.model_validate_json(view.get("private_metadata") or "")
        except ModelError:
            ack(
                response_action="errors",
                errors={ids.PROOF_ASSET_BLOCK: "This form is out of date; use the shortcut again."},
            )
            return
        values = view.get("state", {}).get("values", {})
        raw = str(
            values.get(ids.PROOF_ASSET_BLOCK, {}).get(ids.PROOF_ASSET_INPUT, {}).get("value") or ""
        )
        opener: WorkOpener = context[WORK_KEY]
        with opener.open(write=False) as work:
            problem, asset_id = proofs.check_attachable(work.session, work.actor, raw)
        if problem:
            ack(response_action="errors", errors={ids.PROOF_ASSET_BLOCK: problem})
            return
        ack()
        after_ack(runtime, attach_later, opener, client, asset_id, state.f, (state.c, state.t))

    app.shortcut(ids.PROOF_ATTACH)(on_shortcut)
    app.view(ids.PROOF_ATTACH_VIEW)(on_submit)


def _say_no_file(runtime: Runtime, client: WebClient, channel: str, body: dict[str, Any]) -> None:
    user = str((body.get("user") or {}).get("id") or "")
    if not (channel and user):
        return
    text = "That message has no file. Use *Attach as proof…* on a message with the proof's file."
    send_now(runtime, client, [Ephemeral(channel=channel, user=user, text=text)])
