"""Replies the gateway gave by the widget's message id (table `chat_replies`).

Functions take an `AsyncSession` and never commit; the caller owns the
transaction. `sender_key` is the conversation's pseudonymous Rasa sender id.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import ChatReply

__all__ = ["KEEP_FOR", "KEEP_PER_SENDER", "forget_replies", "get_reply", "save_reply"]

# Enough for a widget that resends the last few messages; older ids are forgotten.
KEEP_PER_SENDER = 20
# A resend comes within minutes; a day covers a phone that was put away.
KEEP_FOR = timedelta(days=1)


async def get_reply(session: AsyncSession, sender_key: str, message_id: str) -> str | None:
    """The reply (JSON text) given to `message_id`, or None when there was none."""
    row = await session.get(ChatReply, (sender_key, message_id))
    return None if row is None else row.reply


async def save_reply(session: AsyncSession, sender_key: str, message_id: str, reply: str) -> None:
    """Keep `reply` for `message_id` (the first one stays) and forget all but the latest."""
    if await session.get(ChatReply, (sender_key, message_id)) is None:
        session.add(
            ChatReply(
                sender_key=sender_key, message_id=message_id, reply=reply, created_at=utcnow()
            )
        )
        await session.flush()
    keep = (
        select(ChatReply.message_id)
        .where(ChatReply.sender_key == sender_key)
        .order_by(ChatReply.created_at.desc(), ChatReply.message_id)
        .limit(KEEP_PER_SENDER)
    )
    await session.execute(
        delete(ChatReply).where(
            ChatReply.sender_key == sender_key, ChatReply.message_id.not_in(keep)
        )
    )
    await session.execute(delete(ChatReply).where(ChatReply.created_at < utcnow() - KEEP_FOR))


async def forget_replies(session: AsyncSession, sender_key: str) -> None:
    """Forget every kept reply of a conversation (the person asked to be erased)."""
    await session.execute(delete(ChatReply).where(ChatReply.sender_key == sender_key))
