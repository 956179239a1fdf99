"""ORM model of the App Home tabs Sleeve keeps current: a person's Home is redrawn after a
change that touches them only once they have opened it (publishing to everyone else would
spend Slack's rate on tabs nobody looks at)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class HomeTab(Base):
    __tablename__ = "home_tabs"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    opened_at: Mapped[datetime] = mapped_column()  # the last app_home_opened
