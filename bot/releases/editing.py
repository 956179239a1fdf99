"""Changing a release after it was made: its details and formats, or cancelling it. No Slack.

Adding a format plans that format's assets from its template, due before the street date
like the others; dropping one cancels its open assets. Cancelling a release cancels every
open asset, each with the reason, and keeps the release and its history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.assets.service import Change, change_stage
from bot.core.errors import ConflictError, ValidationError, echo
from bot.domain.actors import Actor, require_coordinator
from bot.domain.identifiers import validate_upc
from bot.domain.stages import OPEN_STAGES, Stage
from bot.domain.templates import FormatTemplate, plan_release
from bot.domain.text import bounded
from bot.releases.service import audit_new_assets, get_release, planned_asset, upc_free
from bot.storage import audit
from bot.storage.asset_models import Asset
from bot.storage.release_models import Release

EDITABLE = ("title", "artist", "upc", "format", "channel")


@dataclass
class EditedRelease:
    release: Release
    changed: list[str] = field(default_factory=list)
    added: list[Asset] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)  # assets of a dropped format


def _open(release: Release) -> None:
    if release.cancelled_at is not None:
        raise ConflictError(f"{release.catno} is cancelled; it can't change any more.")


def edit_release(
    session: Session,
    *,
    actor: Actor,
    catno: str,
    changes: dict[str, str],
    templates: dict[str, FormatTemplate],
    today: date,
    now: datetime,
) -> EditedRelease:
    """``changes`` by option: title, artist, upc, format (``+cd,-vinyl``), channel (an id)."""
    require_coordinator(actor, "edit releases")
    if not changes:
        raise ValidationError(
            'Say what to change, e.g. `/release edit SLV-014 title:"Midnight Tapes"`. '
            f"Keys: {', '.join(EDITABLE)}."
        )
    release = get_release(session, catno, with_assets=True)
    _open(release)
    edited = EditedRelease(release)
    before = {"title": release.title, "artist": release.artist, "upc": release.upc}
    before |= {"formats": release.formats, "channel_id": release.channel_id}
    if "title" in changes:
        release.title = bounded(changes["title"], "title:", 'title:"Midnight Tapes"')
    if "artist" in changes:
        release.artist = bounded(changes["artist"], "artist:", 'artist:"The Vels"')
    if "upc" in changes:
        upc = validate_upc(changes["upc"]) if changes["upc"].strip() else None
        upc_free(session, upc, release.id)
        release.upc = upc
    if "channel" in changes:
        release.channel_id = changes["channel"]
    if "format" in changes:
        _change_formats(session, edited, changes["format"], templates, actor, today, now)
    after = {"title": release.title, "artist": release.artist, "upc": release.upc}
    after |= {"formats": release.formats, "channel_id": release.channel_id}
    edited.changed = [key for key in after if after[key] != before[key]]
    if edited.changed:
        release.updated_at = now
        audit.record(
            session,
            at=now,
            actor=actor.user_id,
            entity="release",
            entity_id=release.catno,
            action="edit",
            before={key: before[key] for key in edited.changed},
            after={key: after[key] for key in edited.changed},
        )
    return edited


def _change_formats(
    session: Session,
    edited: EditedRelease,
    spec: str,
    templates: dict[str, FormatTemplate],
    actor: Actor,
    today: date,
    now: datetime,
) -> None:
    release = edited.release
    keys = list(release.format_keys)
    for sign, key in re.findall(r"([+-])\s*([A-Za-z0-9_]+)", spec):
        key = key.lower()
        if key not in templates:
            raise ValidationError(f"{echo(key)} isn't a format. Formats: {', '.join(templates)}.")
        if sign == "+" and key not in keys:
            keys.append(key)
            planned = plan_release([key], release.street_date, today, templates)
            for plan in planned:
                if plan.format is not None:  # the release has its cover already
                    edited.added.append(planned_asset(session, release, plan, actor, now))
        elif sign == "-" and key in keys:
            if len(keys) == 1:
                raise ValidationError(f"{release.catno} needs at least one format.")
            keys.remove(key)
            reason = f"format {key} dropped from {release.catno}"
            edited.dropped += _cancel_open(session, release, actor, reason, now, only=key)
    if not re.search(r"[+-]", spec):
        raise ValidationError("`format:` adds or drops formats, e.g. format:+cd,-vinyl.")
    release.formats = ",".join(keys)
    session.flush()
    audit_new_assets(session, actor, release.catno, edited.added, now)


def _cancel_open(
    session: Session,
    release: Release,
    actor: Actor,
    reason: str,
    now: datetime,
    *,
    only: str | None = None,
) -> list[Change]:
    """Cancel the release's open assets (of format ``only``), each with ``reason``."""
    done = []
    for asset in list(release.assets):
        if Stage(asset.stage) not in OPEN_STAGES or (only and asset.format != only):
            continue
        done.append(change_stage(session, asset, Stage.CANCELLED, actor_id=actor.user_id, now=now))
        asset.cancel_reason = reason[:500]
    return done


def cancel_release(
    session: Session, *, actor: Actor, catno: str, reason: str, now: datetime
) -> tuple[Release, list[Change]]:
    """`/release cancel SLV-014 reason:"…"`: the release and its open assets are cancelled."""
    require_coordinator(actor, "cancel releases")
    why = bounded(reason, "reason:", 'reason:"Shelved by the label"', limit=500)
    release = get_release(session, catno, with_assets=True)
    _open(release)
    release.cancelled_at, release.cancel_reason, release.updated_at = now, why, now
    cancelled = _cancel_open(session, release, actor, f"{release.catno} cancelled: {why}", now)
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="release",
        entity_id=release.catno,
        action="cancel",
        after={"reason": why, "assets": [f"A-{c.asset.id}" for c in cancelled]},
    )
    return release, cancelled
