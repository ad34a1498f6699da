"""Delivers officers' answers and decision notices waiting in the outbox.

The officer app writes `OutboundMessage` rows with channel "telegram"; this
loop sends them to the chat stored for the sender key and marks them
delivered. Delivery is at least once: a crash between sending and marking
can send a message twice, never lose it. A chat that blocked the bot or no
longer exists counts as a failed attempt (the row stays, for the record).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.bridge import CHANNEL
from bot.telegram.formatting import split_text
from medverk import outbox
from medverk.store.models import ChannelAddress, OutboundMessage

__all__ = ["deliver_pending", "delivery_loop"]

log = logging.getLogger(__name__)


async def _addresses(session: AsyncSession, sender_keys: set[str]) -> dict[str, str]:
    rows = await session.scalars(
        select(ChannelAddress).where(
            ChannelAddress.sender_key.in_(sender_keys), ChannelAddress.channel == CHANNEL
        )
    )
    return {row.sender_key: row.address for row in rows}


async def _send(bot: Bot, chat_id: str, text: str) -> None:
    for chunk in split_text(text):
        await bot.send_message(int(chat_id), chunk)


async def deliver_pending(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], limit: int = 50
) -> int:
    """Send waiting Telegram messages once; returns how many were delivered."""
    async with sessionmaker() as session:
        messages: Sequence[OutboundMessage] = await outbox.pending(session, CHANNEL, limit)
        addresses = await _addresses(session, {m.sender_key for m in messages})
    delivered = 0
    for message in messages:
        chat_id = addresses.get(message.sender_key)
        error: str | None = None
        if chat_id is None:
            error = "no Telegram chat is stored for this sender (erased?)"
        else:
            try:
                await _send(bot, chat_id, message.text)
            except (Forbidden, BadRequest) as exc:
                error = f"{type(exc).__name__}: {exc}"
            except (NetworkError, RetryAfter) as exc:
                # Telegram is unreachable: not this message's fault, try again next round.
                log.warning("Telegram unreachable while delivering: %s", exc)
                break
            except TelegramError as exc:
                error = f"{type(exc).__name__}: {exc}"
        async with sessionmaker.begin() as session:
            if error is None:
                delivered += await outbox.mark_delivered(session, [message.id])
            else:
                log.warning("outbox message %s not delivered: %s", message.id, error)
                await outbox.mark_failed(session, message.id, error)
    return delivered


async def delivery_loop(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], interval: float = 5.0
) -> None:
    """Deliver waiting messages every `interval` seconds until cancelled."""
    while True:
        try:
            await deliver_pending(bot, sessionmaker)
        except SQLAlchemyError as exc:
            log.warning("outbox not readable, retrying: %s", exc)
        except Exception:
            log.exception("outbox delivery failed, retrying")
        await asyncio.sleep(interval)
