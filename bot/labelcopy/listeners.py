"""The label copy form's submission: each line's problems go back to the form; a saved copy
is confirmed to its editor with the side lengths and any warnings."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as ModelError
from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.core.errors import SleeveError
from bot.departments.work import WorkOpener
from bot.labelcopy import messages as views
from bot.labelcopy import service as copies
from bot.labelcopy.tracklist import parse_tracklist
from bot.runtime import Runtime
from bot.slack import ids
from bot.slack.delivery import deliver_after_ack, save
from bot.slack.middleware import WORK_KEY
from bot.slack.replies import Ephemeral
from bot.slack.text import truncate

MAX_ERROR_CHARS = 1500  # what the form shows under the tracklist


def read_fields(values: dict[str, Any]) -> copies.CopyFields:
    def value(name: str) -> str | None:
        found = values.get(name, {}).get(f"{name}_input", {}).get("value")
        return str(found) if found is not None else None

    return copies.CopyFields(
        title=value("title") or "",
        artist=value("artist") or "",
        **{
            name: value(name)
            for name, _, _ in ids.LABELCOPY_FIELDS
            if name not in ("title", "artist")
        },
    )


def register(app: App, runtime: Runtime) -> None:
    def on_submit(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        tracks_block = ids.LABELCOPY_TRACKS_BLOCK
        try:
            state = views.EditState.model_validate_json(view.get("private_metadata") or "")
        except ModelError:
            ack(response_action="errors", errors={tracks_block: "This form is out of date."})
            return
        values = view.get("state", {}).get("values", {})
        raw = values.get(tracks_block, {}).get(ids.LABELCOPY_TRACKS_INPUT, {}).get("value") or ""
        parsed = parse_tracklist(str(raw))
        if parsed.errors:
            said = "\n".join(str(error) for error in parsed.errors[:5])
            ack(response_action="errors", errors={tracks_block: truncate(said, MAX_ERROR_CHARS)})
            return
        fields = read_fields(values)
        opener: WorkOpener = context[WORK_KEY]
        try:
            with opener.open(write=True) as work:
                saved = copies.save_copy(
                    work.session,
                    actor=work.actor,
                    catno=state.catno,
                    fields=fields,
                    tracks=list(parsed.tracks),
                    now=work.now,
                )
                text = views.saved_text(saved.copy.release, len(parsed.tracks), saved.report)
                told = Ephemeral(channel=state.channel, user=work.user_id, text=text)
                save(work.session, context, [told], now=work.now)
        except SleeveError as exc:
            ack(
                response_action="errors",
                errors={tracks_block: truncate(exc.message, MAX_ERROR_CHARS)},
            )
            return
        ack()
        deliver_after_ack(runtime, client, context)

    app.view(ids.LABELCOPY_EDIT_VIEW)(on_submit)
