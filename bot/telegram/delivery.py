"""Delivers officers' answers and decision notices waiting in the outbox.

The officer app writes `OutboundMessage` rows with channel "telegram"; this
loop sends them to the chat stored for the sender key and marks them
delivered. Delivery is at least once: a crash between sending and marking
can send a message twice, never lose it. A chat that blocked the bot or no
longer exists counts as a failed attempt (the row stays, for the record).
Each message is claimed in its own transaction (`outbox_repo.claim_next`, a row
lock on PostgreSQL), so several gateway replicas can deliver side by side.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.bridge import CHANNEL
from bot.telegram.formatting import split_text
from medverk.store import channels_repo, outbox_repo
from medverk.store.models import OutboundMessage

__all__ = ["deliver_pending", "delivery_loop"]

log = logging.getLogger(__name__)


async def _send(bot: Bot, chat_id: str, text: str) -> None:
    for chunk in split_text(text):
        await bot.send_message(int(chat_id), chunk)


class _TelegramUnreachable(Exception):
    """Telegram cannot be reached: stop this round, the message stays waiting."""


async def _deliver_one(bot: Bot, session: AsyncSession, message: OutboundMessage) -> bool:
    """Send one claimed message and record the outcome; True when it was delivered."""
    chat_id = await channels_repo.address_of(session, message.sender_key, CHANNEL)
    error: str | None = None
    if chat_id is None:
        error = "no Telegram chat is stored for this sender (erased?)"
    else:
        try:
            await _send(bot, chat_id, message.text)
        except (Forbidden, BadRequest) as exc:
            error = f"{type(exc).__name__}: {exc}"
        except (NetworkError, RetryAfter) as exc:
            # Not this message's fault: try again next round.
            raise _TelegramUnreachable(str(exc)) from exc
        except TelegramError as exc:
            error = f"{type(exc).__name__}: {exc}"
    if error is None:
        return await outbox_repo.mark_delivered(session, [message.id]) > 0
    log.warning("outbox message %s not delivered: %s", message.id, error)
    await outbox_repo.mark_failed(session, message.id, error)
    return False


async def deliver_pending(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], limit: int = 50
) -> int:
    """Send waiting Telegram messages once; returns how many were delivered.

    Each message is claimed in its own transaction (locked until it is marked),
    so several gateway replicas can run this loop without sending twice.
    """
    delivered = 0
    tried: list[int] = []
    for _ in range(limit):
        try:
            async with sessionmaker.begin() as session:
                message = await outbox_repo.claim_next(session, CHANNEL, skip=tried)
                if message is None:
                    break
                tried.append(message.id)
                delivered += await _deliver_one(bot, session, message)
        except _TelegramUnreachable as exc:
            log.warning("Telegram unreachable while delivering: %s", exc)
            break
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
