"""Telegram messages held while the assistant is away (table `telegram_held`).

Functions take an `AsyncSession` and never commit; the caller owns the
transaction. Messages are answered per chat in the order they came (by id).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import HeldTelegramMessage

__all__ = [
    "count_held",
    "drop_held",
    "held_chats",
    "hold_message",
    "next_held",
    "set_held_reply",
]


async def count_held(session: AsyncSession, chat_id: int | None = None) -> int:
    """How many messages wait (in one chat, or in all)."""
    query = select(func.count()).select_from(HeldTelegramMessage)
    if chat_id is not None:
        query = query.where(HeldTelegramMessage.chat_id == chat_id)
    return int(await session.scalar(query) or 0)


async def hold_message(session: AsyncSession, chat_id: int, message: str, per_chat: int) -> bool:
    """Keep `message` for later; False (nothing kept) when `per_chat` already wait."""
    if await count_held(session, chat_id) >= per_chat:
        return False
    session.add(HeldTelegramMessage(chat_id=chat_id, message=message, received_at=utcnow()))
    await session.flush()
    return True


async def held_chats(session: AsyncSession) -> Sequence[int]:
    """The chats with messages waiting, the one waiting longest first."""
    first = func.min(HeldTelegramMessage.id)
    query = (
        select(HeldTelegramMessage.chat_id).group_by(HeldTelegramMessage.chat_id).order_by(first)
    )
    return (await session.scalars(query)).all()


async def next_held(session: AsyncSession, chat_id: int) -> HeldTelegramMessage | None:
    """The chat's oldest waiting message, or None."""
    query = (
        select(HeldTelegramMessage)
        .where(HeldTelegramMessage.chat_id == chat_id)
        .order_by(HeldTelegramMessage.id)
        .limit(1)
    )
    return (await session.scalars(query)).first()


async def set_held_reply(session: AsyncSession, held_id: int, reply: str) -> None:
    """Note the assistant's answer to a held message (before it is sent)."""
    row = await session.get(HeldTelegramMessage, held_id)
    if row is not None:
        row.reply = reply
        await session.flush()


async def drop_held(session: AsyncSession, held_id: int) -> None:
    """Forget a held message (it has been answered)."""
    await session.execute(delete(HeldTelegramMessage).where(HeldTelegramMessage.id == held_id))
