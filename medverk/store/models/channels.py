"""Where to reach a pseudonymous sender, and messages waiting to be delivered.

The raw channel address (e.g. a Telegram chat id) lives only here, keyed by
the pseudonymous sender key, so it can be erased with the sender's data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medverk.store.base import Base, UtcDateTime
from medverk.clock import utcnow


class ChannelAddress(Base):
    """The address to deliver messages to one sender on one channel."""

    __tablename__ = "channel_addresses"

    sender_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    malform: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OutboundMessage(Base):
    """A message to a citizen (officer answer, decision notice) and its delivery."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    input_id: Mapped[int | None] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
