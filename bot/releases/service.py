"""Releases: created from format templates, listed, moved (open assets move with them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import ConflictError, ValidationError
from bot.domain.actors import Actor, require_coordinator
from bot.domain.dates import readable
from bot.domain.identifiers import no_such_release, normalize_catno, validate_upc
from bot.domain.stages import OPEN_STAGES, Stage
from bot.domain.templates import FormatTemplate, PlannedAsset, plan_release
from bot.domain.text import bounded
from bot.storage import audit
from bot.storage.asset_models import Asset
from bot.storage.release_models import Release

RELEASE_FIELDS = ("catno", "title", "artist", "formats", "street_date", "upc", "channel_id")


@dataclass(frozen=True)
class NewRelease:
    title: str
    artist: str
    street_date: date
    formats: list[str]
    catno: str
    upc: str | None
    channel_id: str


@dataclass(frozen=True)
class CreatedRelease:
    release: Release
    planned: list[tuple[Asset, PlannedAsset]]


@dataclass(frozen=True)
class MovedRelease:
    release: Release
    shift: timedelta
    moved: list[Asset]
    late: list[Asset]  # open assets the move made overdue


def _street_date_ahead(street_date: date, today: date) -> date:
    if street_date < today:
        raise ValidationError(
            f"A street date can't be in the past (got {readable(street_date, today)}); "
            "give the day the release comes out, e.g. date:+8w."
        )
    return street_date


def upc_free(session: Session, upc: str | None, release_id: int | None) -> None:
    """A UPC/EAN identifies one product: it belongs to one release only."""
    if upc is None:
        return
    other = session.scalar(
        select(Release).where(Release.upc == upc, Release.id != (release_id or 0))
    )
    if other is not None:
        raise ConflictError(
            f"UPC {upc} is already {other.catno}'s: see `/release show {other.catno}`."
        )


def planned_asset(
    session: Session, release: Release, plan: PlannedAsset, actor: Actor, now: datetime
) -> Asset:
    asset = Asset(
        kind=plan.kind,
        title=plan.title,
        release=release,
        stage=Stage.BRIEF.value,
        due=plan.due,
        owner_id=actor.user_id,
        priority="normal",
        format=plan.format,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(asset)
    return asset


def create_release(
    session: Session,
    *,
    actor: Actor,
    data: NewRelease,
    templates: dict[str, FormatTemplate],
    today: date,
    now: datetime,
) -> CreatedRelease:
    require_coordinator(actor, "create releases")
    _street_date_ahead(data.street_date, today)
    catno = normalize_catno(data.catno)
    if session.scalar(select(Release.id).where(Release.catno == catno)) is not None:
        raise ConflictError(f"Catalog number {catno} is already used: see `/release show {catno}`.")
    upc = validate_upc(data.upc) if data.upc else None
    upc_free(session, upc, None)
    release = Release(
        catno=catno,
        title=bounded(data.title, "title", '"Midnight Tapes"'),
        artist=bounded(data.artist, "artist:", 'artist:"The Vels"'),
        formats=",".join(data.formats),
        street_date=data.street_date,
        upc=upc,
        channel_id=data.channel_id,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(release)
    planned = plan_release(data.formats, data.street_date, today, templates)
    pairs = [(planned_asset(session, release, plan, actor, now), plan) for plan in planned]
    try:
        session.flush()
    except IntegrityError:
        # Two coordinators racing for the same catalog number: the unique constraint decides.
        raise ConflictError(f"Catalog number {catno} is already used.") from None
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="release",
        entity_id=catno,
        action="create",
        after=audit.snapshot(release, RELEASE_FIELDS),
    )
    audit_new_assets(session, actor, catno, [asset for asset, _plan in pairs], now)
    return CreatedRelease(release, pairs)


def audit_new_assets(
    session: Session, actor: Actor, catno: str, assets: list[Asset], now: datetime
) -> None:
    """The `create` entry of each asset a release's templates planned."""
    for asset in assets:
        audit.record(
            session,
            at=now,
            actor=actor.user_id,
            entity="asset",
            entity_id=f"A-{asset.id}",
            action="create",
            after={
                "release": catno,
                "kind": asset.kind,
                "title": asset.title,
                "due": asset.due.isoformat() if asset.due else None,
            },
        )


def get_release(session: Session, catno: str, *, with_assets: bool = False) -> Release:
    query = select(Release).where(Release.catno == catno.strip().upper())
    if with_assets:
        query = query.options(selectinload(Release.assets))
    release = session.scalar(query)
    if release is None:
        raise no_such_release(catno)
    return release


def list_releases(session: Session, *, limit: int) -> tuple[list[tuple[Release, int]], int]:
    """Releases by street date with their open-asset counts, and how many there are in all."""
    open_count = (
        select(func.count(Asset.id))
        .where(Asset.release_id == Release.id, Asset.stage.in_([s.value for s in OPEN_STAGES]))
        .scalar_subquery()
    )
    rows = session.execute(
        select(Release, open_count).order_by(Release.street_date, Release.catno).limit(limit)
    )
    total = session.scalar(select(func.count(Release.id))) or 0
    return [(release, count) for release, count in rows], total


def move_release(
    session: Session, *, actor: Actor, catno: str, street_date: date, today: date, now: datetime
) -> MovedRelease:
    require_coordinator(actor, "move releases")
    _street_date_ahead(street_date, today)
    release = get_release(session, catno, with_assets=True)
    if release.cancelled_at is not None:
        raise ConflictError(f"{release.catno} is cancelled; it can't move.")
    shift = street_date - release.street_date
    if not shift:
        raise ValidationError(f"{release.catno} is already on {readable(street_date, today)}.")
    before = {"street_date": release.street_date.isoformat()}
    release.street_date = street_date
    release.updated_at = now
    moved = []
    for asset in release.assets:
        if asset.due is not None and Stage(asset.stage) in OPEN_STAGES:
            audit.record(
                session,
                at=now,
                actor=actor.user_id,
                entity="asset",
                entity_id=f"A-{asset.id}",
                action="due",
                before={"due": asset.due.isoformat()},
                after={"due": (asset.due + shift).isoformat()},
            )
            asset.due = asset.due + shift
            asset.updated_at = now
            moved.append(asset)
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="release",
        entity_id=release.catno,
        action="move",
        before=before,
        after={"street_date": street_date.isoformat()},
    )
    late = [asset for asset in moved if asset.due is not None and asset.due < today]
    return MovedRelease(release, shift, moved, late)


def record_card(session: Session, release_id: int, channel_id: str, ts: str) -> None:
    release = session.get(Release, release_id)
    if release is not None:
        release.channel_id, release.card_ts = channel_id, ts
