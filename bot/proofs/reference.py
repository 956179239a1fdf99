"""What a proof's text is checked against: its release's locked label copy."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.proofs.preflight.copycheck import CopyReference
from bot.storage.labelcopy_models import LabelCopy
from bot.storage.release_models import Release

# Kinds whose art carries the label copy's text: their proofs get the copy check.
TEXT_BEARING = frozenset(
    {
        "back_cover",
        "booklet",
        "tray_card",
        "disc_label",
        "vinyl_label",
        "jacket",
        "cassette_jcard",
        "inner_sleeve",
        "obi",
    }
)


def reference_for(session: Session, release: Release) -> CopyReference | None:
    """The release's locked label copy as the copy check reads it; None while unlocked."""
    copy = session.scalar(
        select(LabelCopy)
        .where(LabelCopy.release_id == release.id, LabelCopy.locked_at.is_not(None))
        .options(selectinload(LabelCopy.tracks))
    )
    if copy is None:
        return None
    return CopyReference(
        catno=release.catno,
        upc=release.upc,
        artist=copy.artist,
        titles=tuple(f"{t.title} ({t.version})" if t.version else t.title for t in copy.tracks),
        p_line=copy.p_line,
        c_line=copy.c_line,
    )
