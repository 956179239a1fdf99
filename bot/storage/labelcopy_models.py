"""ORM models of label copy: one per release, with its tracklist. The catalog number and
UPC are the release's own (one truth); the rest is the label copy department's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base
from bot.storage.release_models import Release


class LabelCopy(Base):
    __tablename__ = "label_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(200))
    artist: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(200))
    p_line: Mapped[str | None] = mapped_column(String(300))
    c_line: Mapped[str | None] = mapped_column(String(300))
    distributor: Mapped[str | None] = mapped_column(String(200))
    legal: Mapped[str | None] = mapped_column(Text)
    locked_at: Mapped[datetime | None] = mapped_column()
    locked_by: Mapped[str | None] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column()

    release: Mapped[Release] = relationship()
    tracks: Mapped[list[LabelCopyTrack]] = relationship(
        back_populates="copy", order_by="LabelCopyTrack.ordinal", cascade="all, delete-orphan"
    )


class LabelCopyTrack(Base):
    __tablename__ = "label_copy_tracks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_copy_id: Mapped[int] = mapped_column(
        ForeignKey("label_copies.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    side: Mapped[str | None] = mapped_column(String(2))
    disc: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(200))
    duration_s: Mapped[int | None] = mapped_column(Integer)
    # Indexed: an ISRC used elsewhere in the catalogue is found on every save.
    isrc: Mapped[str | None] = mapped_column(String(12), index=True)
    credits: Mapped[str | None] = mapped_column(Text)

    copy: Mapped[LabelCopy] = relationship(back_populates="tracks")
