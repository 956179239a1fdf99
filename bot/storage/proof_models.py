"""ORM model of proofs: the file versions of an asset and their preflight.

A Slack file becomes one version of one asset (unique per asset), numbered ``v1, v2, …``
in the order they were shared; the numbers are unique per asset, so two replicas recording
two files at once cannot both take ``v3``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.asset_models import Asset
from bot.storage.base import Base


class Proof(Base):
    __tablename__ = "proofs"
    __table_args__ = (
        UniqueConstraint("asset_id", "version"),
        UniqueConstraint("asset_id", "file_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    filetype: Mapped[str | None] = mapped_column(String(40))
    mimetype: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))  # known once downloaded
    permalink: Mapped[str | None] = mapped_column(String(1000))
    download_url: Mapped[str | None] = mapped_column(String(1000))
    shared_by: Mapped[str] = mapped_column(String(32))
    shared_at: Mapped[datetime] = mapped_column()
    # Where the file was shared: the preflight answers in that thread.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    # pending → pass | warn | fail | not_checked; claimed while a process checks it.
    preflight: Mapped[str] = mapped_column(String(20), default="pending")
    preflight_claimed_at: Mapped[datetime | None] = mapped_column()
    preflight_at: Mapped[datetime | None] = mapped_column()
    preflight_attempts: Mapped[int] = mapped_column(Integer, default=0)
    spec: Mapped[str | None] = mapped_column(String(120))  # the print spec checked against
    checks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was not checked

    asset: Mapped[Asset] = relationship()

    @property
    def label(self) -> str:
        return f"v{self.version}"
