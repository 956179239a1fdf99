"""Submission of `/asset new`'s modal: field errors go back to the modal, a card follows (and
the release's card is redrawn when the asset joins a release)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError as ModelError
from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.assets.flow import announce
from bot.assets.modal import NewAssetState
from bot.assets.service import NewAsset, create_asset
from bot.core.errors import NotFoundError, ValidationError
from bot.domain.catalog import KINDS
from bot.releases.cards import card_updates
from bot.runtime import Runtime
from bot.slack import ids
from bot.slack.delivery import deliver_after_ack, save
from bot.slack.middleware import WORK_KEY

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
        data, errors = read_submission(
            view.get("state", {}).get("values", {}), channel_id=state.channel_id
        )
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

    app.view(ids.ASSET_NEW_VIEW)(on_submit)
