"""ORM model of the mail Sleeve sends to people outside Slack: what, to whom, and how it
went, so `/asset show` can say what was mailed and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class MailLog(Base):
    __tablename__ = "mail_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="RESTRICT"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    mail_kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    queued_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    failed_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(String(300))  # the server's answer, no secret
