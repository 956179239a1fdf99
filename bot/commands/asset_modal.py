"""The new-asset form: opened by `/asset new`, the global shortcut *New asset* and the message
shortcut *Asset from message*; its submission sends field errors back to the form, posts a
card (and redraws the release's card when the asset joins a release) and, from a message,
keeps that message's link on the asset."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError as ModelError
from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.assets.flow import announce
from bot.assets.modal import NewAssetState, new_asset_modal
from bot.assets.service import NewAsset, add_link, create_asset, releases_to_pick
from bot.core.errors import NotFoundError, SleeveError, ValidationError
from bot.departments.work import WorkOpener
from bot.domain.catalog import KINDS
from bot.releases.cards import card_updates
from bot.runtime import Runtime
from bot.slack import ids
from bot.slack.delivery import after_ack, deliver_after_ack, save
from bot.slack.middleware import WORK_KEY
from bot.slack.replies import OpenView

Values = dict[str, dict[str, dict[str, Any]]]


def _value(values: Values, block: str, action: str) -> dict[str, Any]:
    return values.get(block, {}).get(action) or {}


def read_submission(values: Values, *, channel_id: str) -> tuple[NewAsset | None, dict[str, str]]:
    """The new asset, or the errors to show on each field (keyed by block_id)."""
    errors: dict[str, str] = {}
    title = str(_value(values, ids.ASSET_TITLE_BLOCK, ids.ASSET_TITLE_INPUT).get("value") or "")
    if not title.strip():
        errors[ids.ASSET_TITLE_BLOCK] = "Give the asset a title, e.g. Front cover."
    elif len(title.strip()) > 200:
        errors[ids.ASSET_TITLE_BLOCK] = "Keep the title under 200 characters."
    kind_option = _value(values, ids.ASSET_KIND_BLOCK, ids.ASSET_KIND_INPUT).get("selected_option")
    kind = str((kind_option or {}).get("value") or "")
    if kind not in KINDS:
        errors[ids.ASSET_KIND_BLOCK] = "Pick a kind from the list."
    raw_due = _value(values, ids.ASSET_DUE_BLOCK, ids.ASSET_DUE_INPUT).get("selected_date")
    due: date | None = None
    try:
        due = date.fromisoformat(str(raw_due))
    except ValueError:
        errors[ids.ASSET_DUE_BLOCK] = "Pick a due date."
    release_option = _value(values, ids.ASSET_RELEASE_BLOCK, ids.ASSET_RELEASE_INPUT).get(
        "selected_option"
    )
    owner = _value(values, ids.ASSET_OWNER_BLOCK, ids.ASSET_OWNER_INPUT).get("selected_user")
    notes = _value(values, ids.ASSET_NOTES_BLOCK, ids.ASSET_NOTES_INPUT).get("value")
    if notes and len(str(notes)) > 2000:
        errors[ids.ASSET_NOTES_BLOCK] = "Keep the notes under 2000 characters."
    if errors:
        return None, errors
    return (
        NewAsset(
            title=title,
            kind=kind,
            due=due,
            release=str(release_option["value"]) if release_option else None,
            owner_id=str(owner) if owner else None,
            priority="normal",
            notes=str(notes) if notes else None,
            channel_id=channel_id,
        ),
        {},
    )


def register(app: App, runtime: Runtime) -> None:
    def on_submit(
        ack: Ack,
        view: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        try:
            state = NewAssetState.model_validate_json(view.get("private_metadata") or "")
        except ModelError:
            raise ValidationError("This form is out of date; run `/asset new` again.") from None
        values = view.get("state", {}).get("values", {})
        picked = _value(values, ids.ASSET_CHANNEL_BLOCK, ids.ASSET_CHANNEL_INPUT)
        channel_id = state.channel_id or str(picked.get("selected_conversation") or "")
        data, errors = read_submission(values, channel_id=channel_id)
        if not channel_id:
            errors[ids.ASSET_CHANNEL_BLOCK] = "Pick the channel its card goes to."
            data = None
        if data is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            with context[WORK_KEY].open(write=True) as work:
                asset = create_asset(work.session, actor=work.actor, data=data, now=work.now)
                post = announce(work, asset, data.channel_id)
                redrawn = card_updates(asset, work.today) if asset.release is not None else []
                save(work.session, context, [post, *redrawn], now=work.now)
        except NotFoundError as exc:
            ack(response_action="errors", errors={ids.ASSET_RELEASE_BLOCK: exc.message})
            return
        ack()
        deliver_after_ack(runtime, client, context)
        if state.message_ts:
            source = (channel_id, state.message_ts)
            after_ack(runtime, _keep_link, context[WORK_KEY], client, asset.id, source)

    app.view(ids.ASSET_NEW_VIEW)(on_submit)
    register_shortcuts(app, runtime)


def _keep_link(
    opener: WorkOpener, client: WebClient, asset_id: int, source: tuple[str, str]
) -> None:
    """The message an asset was made from, as one of its links (after the ack: Slack says
    the message's permalink)."""
    channel, ts = source
    try:
        permalink = str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError:
        return  # the asset stands without it; its notes hold the message's text
    try:
        with opener.open(write=True) as work:
            add_link(
                work.session,
                actor=work.actor,
                asset_id=asset_id,
                url=permalink,
                link_label="the message it was made from",
                now=work.now,
            )
    except SleeveError:
        return  # e.g. made for another owner: theirs to link


def register_shortcuts(app: App, runtime: Runtime) -> None:
    def open_form(context: BoltContext, client: WebClient, trigger_id: str, **form: Any) -> None:
        opener: WorkOpener = context[WORK_KEY]
        with opener.open(write=False) as work:
            view = new_asset_modal(releases_to_pick(work.session), **form)
            save(work.session, context, [OpenView(trigger_id=trigger_id, view=view)], now=work.now)
        deliver_after_ack(runtime, client, context)

    def on_global(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        open_form(context, client, str(body.get("trigger_id") or ""), channel_id=None)

    def on_message(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "") or None
        open_form(
            context,
            client,
            str(body.get("trigger_id") or ""),
            channel_id=channel,
            notes=str(message.get("text") or "") or None,
            message_ts=str(message.get("ts") or "") or None if channel else None,
        )

    app.shortcut(ids.ASSET_NEW_SHORTCUT)(on_global)
    app.shortcut(ids.ASSET_FROM_MESSAGE)(on_message)
