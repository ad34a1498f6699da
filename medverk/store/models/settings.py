"""Settings an admin changed in the officer app; they override env/defaults."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medverk.store.base import Base, UtcDateTime
from medverk.clock import utcnow


class AdminSetting(Base):
    """One setting's value as the admin saved it (text; parsed by `medverk.admin_settings`)."""

    __tablename__ = "admin_settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
