"""Assets: create, find, list, and every change of stage, due date, owner, links, hold, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.assets import reads
from bot.core.errors import ConflictError, NotFoundError, ValidationError, echo
from bot.domain.actors import Actor, require_coordinator, require_owner_or_coordinator
from bot.domain.catalog import KINDS
from bot.domain.dates import readable
from bot.domain.identifiers import no_such_release
from bot.domain.stages import Stage, check_move
from bot.domain.text import bounded
from bot.storage import audit
from bot.storage.asset_models import Asset, AssetLink
from bot.storage.audit_models import AuditEntry
from bot.storage.release_models import Release

PRIORITIES = ("low", "normal", "high", "urgent")
CLOSED = (Stage.DONE.value, Stage.CANCELLED.value)
MAX_NOTES = 2000
MAX_URL = 2000
# `/asset list` counts matches this far past the page it shows ("of 1020+"), no further.


def label(asset: Asset) -> str:
    return f"A-{asset.id}"


def parse_kind(text: str) -> str:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in KINDS:
        raise ValidationError(f"{echo(text)} isn't a kind. Kinds: {', '.join(KINDS)}.")
    return key


def parse_priority(text: str) -> str:
    value = text.strip().lower()
    if value not in PRIORITIES:
        raise ValidationError(f"`priority:` is one of {', '.join(PRIORITIES)}, e.g. priority:high.")
    return value


@dataclass(frozen=True)
class NewAsset:
    title: str
    kind: str
    due: date | None
    release: str | None
    owner_id: str | None
    priority: str
    notes: str | None
    channel_id: str


@dataclass(frozen=True)
class Change:
    """What a change did, for the reply and the home-thread notice."""

    asset: Asset
    field: str
    before: Any
    after: Any


def create_asset(session: Session, *, actor: Actor, data: NewAsset, now: datetime) -> Asset:
    release = _release(session, data.release) if data.release else None
    notes = data.notes.strip() if data.notes else None
    if notes and len(notes) > MAX_NOTES:
        raise ValidationError(f"`notes:` is {len(notes)} characters; keep it under {MAX_NOTES}.")
    asset = Asset(
        kind=data.kind,
        title=bounded(data.title, "title", '"Front cover"'),
        release=release,
        stage=Stage.BRIEF.value,
        due=data.due,
        owner_id=data.owner_id or actor.user_id,
        priority=data.priority,
        notes=notes or None,
        channel_id=None if release else data.channel_id,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(asset)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="asset",
        entity_id=label(asset),
        action="create",
        after=audit.snapshot(asset, ("kind", "title", "due", "owner_id", "priority", "notes"))
        | {"release": release.catno if release else None},
    )
    return asset


def due_warnings(asset: Asset, today: date) -> list[str]:
    """What is odd about an asset's due date, to say in the reply (nothing is refused)."""
    found = []
    if asset.due is None:
        return found
    if asset.due < today:
        found.append(f"its due date, {readable(asset.due, today)}, has already passed")
    release = asset.release
    if release is not None and asset.due > release.street_date:
        found.append(
            f"it is due after {release.catno}'s street date, {readable(release.street_date, today)}"
        )
    return found


def _release(session: Session, catno: str) -> Release:
    release = session.scalar(select(Release).where(Release.catno == catno.strip().upper()))
    if release is None:
        raise no_such_release(catno)
    return release


def releases_to_pick(session: Session, limit: int = 100) -> list[tuple[str, str]]:
    """(catalog number, title) of the latest releases, for the new-asset form's picker."""
    rows = session.execute(
        select(Release.catno, Release.title).order_by(Release.street_date.desc()).limit(limit)
    )
    return [(catno, title) for catno, title in rows]


def get_asset(session: Session, asset_id: int, *, for_update: bool = False) -> Asset:
    query = (
        select(Asset)
        .where(Asset.id == asset_id)
        .options(joinedload(Asset.release), selectinload(Asset.links))
    )
    if for_update:
        query = query.with_for_update(of=Asset)
    asset = session.scalar(query)
    if asset is None:
        raise _missing(asset_id)
    return asset


def show_asset(conn: Session, asset_id: int) -> tuple[Asset, list[AuditEntry]]:
    """An asset to look at (not to change), with its release, links and latest history."""
    found = reads.asset_with_history(conn, asset_id)
    if found is None:
        raise _missing(asset_id)
    return found


def _missing(asset_id: int) -> NotFoundError:
    return NotFoundError(f"There is no asset A-{asset_id}. `/asset list` shows them.")


def home_thread(asset: Asset) -> tuple[str | None, str | None]:
    """(channel, thread ts) where news of this asset goes."""
    if asset.release is not None:
        return asset.release.channel_id, asset.release.card_ts
    return asset.channel_id, asset.card_ts


def is_assignee(actor: Actor, asset: Asset) -> bool:
    """Whether ``actor`` is the freelancer assigned to ``asset`` (linked to a Slack user)."""
    freelancer = asset.freelancer
    return freelancer is not None and freelancer.slack_user_id == actor.user_id


def _editable(actor: Actor, asset: Asset, doing: str, *, assignee_may: bool = False) -> None:
    if not (assignee_may and is_assignee(actor, asset)):
        require_owner_or_coordinator(actor, asset.owner_id, doing, label(asset))
    if asset.stage in CLOSED:
        raise ConflictError(f"{label(asset)} is {asset.stage}; it can't change any more.")


def _audit_change(session: Session, actor: Actor, change: Change, now: datetime) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="asset",
        entity_id=label(change.asset),
        action=change.field,
        before={change.field: audit.jsonable(change.before)},
        after={change.field: audit.jsonable(change.after)},
    )
    change.asset.updated_at = now


def change_stage(
    session: Session,
    asset: Asset,
    target: Stage,
    *,
    actor_id: str,
    now: datetime,
    via_move: bool = True,
) -> Change:
    """The one way an asset's stage changes: the stage machine's check, then the audit entry.

    ``via_move=False`` is the approval flow (requesting, approving), which alone takes the
    steps a plain move may not."""
    held_from = Stage(asset.held_from) if asset.held_from else None
    check_move(
        Stage(asset.stage),
        target,
        physical=KINDS[asset.kind].physical,
        held_from=held_from,
        via_move=via_move,
        label=label(asset),
    )
    change = Change(asset, "stage", asset.stage, target.value)
    asset.held_from = asset.stage if target is Stage.ON_HOLD else None
    asset.stage = target.value
    audit.record(
        session,
        at=now,
        actor=actor_id,
        entity="asset",
        entity_id=label(asset),
        action="stage",
        before={"stage": change.before},
        after={"stage": change.after},
    )
    asset.updated_at = now
    return change


def move_asset(
    session: Session, *, actor: Actor, asset_id: int, target: Stage, now: datetime
) -> Change:
    asset = get_asset(session, asset_id, for_update=True)
    # The assigned freelancer hands her design in for review, and nothing else.
    hands_in = (asset.stage, target) == (Stage.DESIGN.value, Stage.REVIEW)
    if not (hands_in and is_assignee(actor, asset)):
        require_owner_or_coordinator(actor, asset.owner_id, "move", label(asset))
    return change_stage(session, asset, target, actor_id=actor.user_id, now=now)


def hold_asset(session: Session, *, actor: Actor, asset_id: int, now: datetime) -> Change:
    return move_asset(session, actor=actor, asset_id=asset_id, target=Stage.ON_HOLD, now=now)


def cancel_asset(
    session: Session, *, actor: Actor, asset_id: int, reason: str, now: datetime
) -> Change:
    require_coordinator(actor, "cancel assets")
    reason = bounded(reason, "reason:", 'reason:"Dropped from the campaign"', limit=500)
    change = move_asset(session, actor=actor, asset_id=asset_id, target=Stage.CANCELLED, now=now)
    change.asset.cancel_reason = reason
    return change


EDITABLE = ("title", "kind", "priority", "notes")
EARLY = (Stage.BRIEF.value, Stage.DESIGN.value, Stage.REVIEW.value, Stage.ON_HOLD.value)


def edit_asset(
    session: Session, *, actor: Actor, asset_id: int, changes: dict[str, str], now: datetime
) -> list[Change]:
    """`/asset edit A-3 [title:…] [kind:…] [priority:…] [notes:…]`: each change audited."""
    asset = get_asset(session, asset_id, for_update=True)
    _editable(actor, asset, "edit")
    if not changes:
        raise ValidationError(
            f'Say what to change, e.g. `/asset edit {label(asset)} title:"Tour poster v2"`. '
            f"Keys: {', '.join(EDITABLE)}."
        )
    values = {
        "title": lambda raw: bounded(raw, "title:", 'title:"Front cover"'),
        "kind": parse_kind,
        "priority": parse_priority,
        "notes": lambda raw: _notes(raw),
    }
    if "kind" in changes and asset.stage not in EARLY:
        raise ConflictError(f"{label(asset)} is {asset.stage}: its kind can change until approval.")
    done = []
    for key, raw in changes.items():
        value = values[key](raw)
        before = getattr(asset, key)
        if value == before:
            continue
        setattr(asset, key, value)
        change = Change(asset, key, before, value)
        _audit_change(session, actor, change, now)
        done.append(change)
    return done


def _notes(raw: str) -> str | None:
    notes = raw.strip()
    if len(notes) > MAX_NOTES:
        raise ValidationError(f"`notes:` is {len(notes)} characters; keep it under {MAX_NOTES}.")
    return notes or None


def set_due(session: Session, *, actor: Actor, asset_id: int, due: date, now: datetime) -> Change:
    asset = get_asset(session, asset_id, for_update=True)
    _editable(actor, asset, "change the due date of")
    change = Change(asset, "due", asset.due, due)
    asset.due = due
    _audit_change(session, actor, change, now)
    return change


def set_owner(
    session: Session, *, actor: Actor, asset_id: int, owner_id: str, now: datetime
) -> Change:
    asset = get_asset(session, asset_id, for_update=True)
    _editable(actor, asset, "change the owner of")
    change = Change(asset, "owner", asset.owner_id, owner_id)
    asset.owner_id = owner_id
    _audit_change(session, actor, change, now)
    return change


def add_link(
    session: Session,
    *,
    actor: Actor,
    asset_id: int,
    url: str,
    link_label: str | None,
    now: datetime,
) -> AssetLink:
    asset = get_asset(session, asset_id, for_update=True)
    _editable(actor, asset, "add links to", assignee_may=True)
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")) or len(url) > MAX_URL or " " in url:
        raise ValidationError(
            'A link starts with https://, e.g. `/asset link A-3 https://files.example.com/cover.pdf "Final PDF"`.'
        )
    text = bounded(link_label, "label", '"Final PDF"') if link_label else None
    link = AssetLink(asset=asset, url=url, label=text, added_by=actor.user_id, added_at=now)
    session.add(link)
    _audit_change(session, actor, Change(asset, "link", None, {"url": url, "label": text}), now)
    return link


def record_card(session: Session, asset_id: int, channel_id: str, ts: str) -> None:
    asset = session.get(Asset, asset_id)
    if asset is not None:
        asset.channel_id, asset.card_ts = channel_id, ts
