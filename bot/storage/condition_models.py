"""ORM model of approval conditions: what a department approved "with changes", numbered per
asset, open until the owner ticks it off."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class Condition(Base):
    __tablename__ = "asset_conditions"
    __table_args__ = (UniqueConstraint("asset_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"))
    department_key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column()
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None] = mapped_column()
