"""ORM model of a release: its card is the home thread of its assets."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base

if TYPE_CHECKING:
    from bot.storage.asset_models import Asset


class Release(Base):
    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored upper-cased, so the unique constraint holds regardless of case.
    catno: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    artist: Mapped[str] = mapped_column(String(200))
    formats: Mapped[str] = mapped_column(String(120))  # comma-separated template keys
    street_date: Mapped[date] = mapped_column(Date, index=True)
    upc: Mapped[str | None] = mapped_column(String(13))
    channel_id: Mapped[str] = mapped_column(String(32))
    # Indexed: a file shared in a thread is matched to the release whose card started it.
    card_ts: Mapped[str | None] = mapped_column(String(32), index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column()
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    assets: Mapped[list[Asset]] = relationship(back_populates="release", order_by="Asset.id")

    @property
    def format_keys(self) -> list[str]:
        return [key for key in self.formats.split(",") if key]
