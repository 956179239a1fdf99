"""Label copy per release: save with its checks, lock as the reference, unlock with a
reason; and what the copy check of a proof compares against. No Slack here.

The label copy department (and coordinators) edit it; only the label copy department
locks and unlocks it. A locked copy can't be edited, so what proofs are checked against
stays what was agreed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import ConflictError, PermissionDenied, ValidationError
from bot.departments.service import memberships
from bot.domain.actors import Actor
from bot.labelcopy.checks import CheckReport, check_tracklist
from bot.labelcopy.tracklist import Track
from bot.releases.service import get_release
from bot.storage import audit
from bot.storage.labelcopy_models import LabelCopy, LabelCopyTrack
from bot.storage.release_models import Release

LABEL_COPY = "label_copy"
MAX_REASON = 500


@dataclass(frozen=True)
class CopyFields:
    title: str
    artist: str
    version: str | None = None
    label: str | None = None
    p_line: str | None = None
    c_line: str | None = None
    distributor: str | None = None
    legal: str | None = None


OPTIONAL_FIELDS = ("version", "label", "p_line", "c_line", "distributor", "legal")


@dataclass(frozen=True)
class Saved:
    copy: LabelCopy
    report: CheckReport


def copy_of(session: Session, release: Release) -> LabelCopy | None:
    return session.scalar(
        select(LabelCopy)
        .where(LabelCopy.release_id == release.id)
        .options(selectinload(LabelCopy.tracks))
    )


def _require_editor(session: Session, actor: Actor, catno: str) -> None:
    if actor.is_coordinator or LABEL_COPY in memberships(session, actor.user_id):
        return
    raise PermissionDenied(
        f"Only the label copy department or a coordinator can edit {catno}'s label copy."
    )


def _require_department(session: Session, actor: Actor, doing: str, catno: str) -> None:
    if LABEL_COPY not in memberships(session, actor.user_id):
        raise PermissionDenied(
            f"Only the label copy department can {doing} {catno}'s label copy "
            "(`/dept show label_copy`)."
        )


def editable_copy(session: Session, actor: Actor, release: Release) -> LabelCopy | None:
    """The release's copy (None before the first save), when ``actor`` may edit it now."""
    _require_editor(session, actor, release.catno)
    copy = copy_of(session, release)
    if copy is not None and copy.locked_at is not None:
        raise ConflictError(
            f"{release.catno}'s label copy is locked; the label copy department unlocks it "
            f'with `/labelcopy unlock {release.catno} reason:"…"`.'
        )
    return copy


def catalogue_isrcs(session: Session, release_id: int) -> dict[str, str]:
    """ISRC -> title on every other release's label copy."""
    rows = session.execute(
        select(LabelCopyTrack.isrc, LabelCopyTrack.title)
        .join(LabelCopy, LabelCopy.id == LabelCopyTrack.label_copy_id)
        .where(LabelCopy.release_id != release_id, LabelCopyTrack.isrc.is_not(None))
    )
    return {str(isrc): str(title) for isrc, title in rows}


def save_copy(
    session: Session,
    *,
    actor: Actor,
    catno: str,
    fields: CopyFields,
    tracks: list[Track],
    now: datetime,
) -> Saved:
    """Replace the release's label copy; refused when a check fails (the report says why)."""
    release = get_release(session, catno)
    copy = editable_copy(session, actor, release)
    report = check_tracklist(
        tracks, formats=release.format_keys, catalogue_isrcs=catalogue_isrcs(session, release.id)
    )
    if not report.ok:
        raise ValidationError("Not saved: " + "; ".join(report.failures[:5]))
    if copy is None:
        copy = LabelCopy(release=release, updated_by=actor.user_id, updated_at=now)
        session.add(copy)
    before = len(copy.tracks) if copy.id else 0
    for name, value in vars(fields).items():
        setattr(copy, name, value.strip() if isinstance(value, str) and value.strip() else None)
    copy.title, copy.artist = fields.title.strip(), fields.artist.strip()
    copy.updated_by, copy.updated_at = actor.user_id, now
    copy.tracks = [_row(n, track) for n, track in enumerate(tracks)]
    session.flush()
    _audit(session, actor, release, "edit", now, {"tracks": len(tracks), "before": before})
    return Saved(copy, report)


def _row(ordinal: int, track: Track) -> LabelCopyTrack:
    return LabelCopyTrack(
        ordinal=ordinal,
        side=track.side,
        disc=track.disc,
        position=track.position,
        title=track.title,
        version=track.version,
        duration_s=track.duration_s,
        isrc=track.isrc,
        credits=track.credits,
    )


def as_tracks(copy: LabelCopy) -> list[Track]:
    return [
        Track(t.side, t.disc, t.position, t.title, t.version, t.duration_s, t.isrc, t.credits)
        for t in copy.tracks
    ]


def lock_copy(session: Session, *, actor: Actor, catno: str, now: datetime) -> LabelCopy:
    release = get_release(session, catno)
    _require_department(session, actor, "lock", release.catno)
    copy = copy_of(session, release)
    if copy is None or not copy.tracks:
        raise ConflictError(
            f"{release.catno} has no label copy to lock yet: `/labelcopy edit {release.catno}`."
        )
    if copy.locked_at is not None:
        raise ConflictError(f"{release.catno}'s label copy is already locked.")
    copy.locked_at, copy.locked_by = now, actor.user_id
    _audit(session, actor, release, "lock", now, {"tracks": len(copy.tracks)})
    return copy


def unlock_copy(
    session: Session, *, actor: Actor, catno: str, reason: str, now: datetime
) -> LabelCopy:
    release = get_release(session, catno)
    _require_department(session, actor, "unlock", release.catno)
    if not reason.strip():
        raise ValidationError(f'Say why: `/labelcopy unlock {release.catno} reason:"…"`.')
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Keep the reason under {MAX_REASON} characters.")
    copy = copy_of(session, release)
    if copy is None or copy.locked_at is None:
        raise ConflictError(f"{release.catno}'s label copy is not locked.")
    copy.locked_at, copy.locked_by = None, None
    _audit(session, actor, release, "unlock", now, {"reason": reason.strip()})
    return copy


def _audit(
    session: Session,
    actor: Actor,
    release: Release,
    action: str,
    now: datetime,
    after: dict[str, object],
) -> None:
    audit.record(
        session,
        at=now,
        actor=actor.user_id,
        entity="label_copy",
        entity_id=release.catno,
        action=action,
        after=after,
    )
