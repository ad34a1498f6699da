"""What the gateway keeps so a resent message is not taken twice.

`chat_replies`: the last replies to the widget, by the client's message id, so
a resend of the same id gets the same reply (also after a gateway restart).
`telegram_held`: Telegram messages received while the assistant was away,
answered in order when it is back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medverk.clock import utcnow
from medverk.store.base import Base, UtcDateTime


class ChatReply(Base):
    """The reply (JSON) the gateway gave to one message id of one conversation."""

    __tablename__ = "chat_replies"

    sender_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class HeldTelegramMessage(Base):
    """A Telegram message waiting for the assistant to come back.

    `reply` is the assistant's answer (JSON) once it has been taken, so a gateway
    that stops before sending it sends it after the restart without a second turn.
    """

    __tablename__ = "telegram_held"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
