"""Officers' answers and decision notices reach the citizen's Telegram chat."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from tg_bot_api_standin import BotApiStandIn

from bot.telegram.delivery import deliver_pending
from medverk.store import outbox_repo
from medverk.store.models import ChannelAddress, OutboundMessage


async def _message(
    sm: async_sessionmaker[AsyncSession], key: str, text: str, chat_id: int | None
) -> int:
    async with sm.begin() as session:
        if chat_id is not None:
            session.add(ChannelAddress(sender_key=key, channel="telegram", address=str(chat_id)))
        row = await outbox_repo.enqueue(
            session, sender_key=key, channel="telegram", kind=outbox_repo.KIND_ANSWER, text=text
        )
        return row.id


async def _row(sm: async_sessionmaker[AsyncSession], message_id: int) -> OutboundMessage:
    async with sm() as session:
        return (
            await session.scalars(select(OutboundMessage).where(OutboundMessage.id == message_id))
        ).one()


async def test_waiting_messages_are_sent_once_and_marked_delivered(
    sessionmaker: async_sessionmaker[AsyncSession], bot_api: BotApiStandIn
) -> None:
    """A pending answer is sent to the stored chat and not sent again next round."""
    bot_api.add_chat(601)
    answer = "Takk for innspelet ditt om skulevegen. Saka blir handsama 3. desember."
    message_id = await _message(sessionmaker, "a" * 64, answer, 601)
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:  # type: ignore[attr-defined]
        assert await deliver_pending(bot, sessionmaker) == 1
        assert await deliver_pending(bot, sessionmaker) == 0
    assert bot_api.texts_to(601) == [answer]
    row = await _row(sessionmaker, message_id)
    assert row.delivered_at is not None
    assert row.attempts == 0


async def test_a_long_answer_arrives_in_parts(
    sessionmaker: async_sessionmaker[AsyncSession], bot_api: BotApiStandIn
) -> None:
    """An answer over Telegram's limit is split, nothing cut off."""
    bot_api.add_chat(602)
    answer = ("Kommunestyret vedtok å byggje ny fleirbrukshall. " * 200).strip()
    await _message(sessionmaker, "b" * 64, answer, 602)
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:  # type: ignore[attr-defined]
        assert await deliver_pending(bot, sessionmaker) == 1
    parts = bot_api.texts_to(602)
    assert len(parts) == 3
    assert " ".join(parts) == answer


async def test_blocked_chats_and_erased_addresses_count_as_failed_attempts(
    sessionmaker: async_sessionmaker[AsyncSession], bot_api: BotApiStandIn
) -> None:
    """Nothing is marked delivered that was not; the reason is kept for the record."""
    bot_api.add_chat(603)
    bot_api.blocked_chats.add(603)
    blocked = await _message(sessionmaker, "c" * 64, "Svar frå kommunen", 603)
    erased = await _message(sessionmaker, "d" * 64, "Svar frå kommunen", None)
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:  # type: ignore[attr-defined]
        assert await deliver_pending(bot, sessionmaker) == 0
    blocked_row, erased_row = await _row(sessionmaker, blocked), await _row(sessionmaker, erased)
    assert blocked_row.delivered_at is None and blocked_row.attempts == 1
    assert "blocked" in (blocked_row.last_error or "")
    assert erased_row.delivered_at is None and erased_row.attempts == 1
    assert "no Telegram chat" in (erased_row.last_error or "")


async def test_telegram_rate_limit_is_waited_out(
    sessionmaker: async_sessionmaker[AsyncSession], bot_api: BotApiStandIn
) -> None:
    """A 429 with retry_after is honoured by the rate limiter, then the message goes."""
    from telegram.ext import ExtBot

    from bot.telegram.runtime import make_rate_limiter

    bot_api.add_chat(604)
    bot_api.rate_limit_next["sendMessage"] = 1
    await _message(sessionmaker, "e" * 64, "Vedtaket er klart.", 604)
    bot = ExtBot(bot_api.token, base_url=bot_api.base_url, rate_limiter=make_rate_limiter())  # type: ignore[attr-defined]
    async with bot:
        assert await deliver_pending(bot, sessionmaker) == 1
    attempts = bot_api.calls_to("sendMessage", 604)
    assert len(attempts) == 2
    assert attempts[1].at - attempts[0].at >= 1.0


# Several gateway replicas mean PostgreSQL: SQLite has no row locks and one writer,
# and a SQLite deployment runs one gateway (README, "Scaling out").
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_replicas_delivering_at_once_send_each_message_once(
    sessionmaker: async_sessionmaker[AsyncSession], bot_api: BotApiStandIn
) -> None:
    """Two gateway replicas run the delivery loop at the same moment: no message twice."""
    bot_api.add_chat(606)
    texts = [f"Svar nummer {n} frå kommunen." for n in range(12)]
    for n, text in enumerate(texts):
        await _message(sessionmaker, f"{n:x}".rjust(64, "e"), text, 606 if n == 0 else None)
    async with sessionmaker.begin() as session:
        for n in range(1, 12):
            session.add(
                ChannelAddress(
                    sender_key=f"{n:x}".rjust(64, "e"), channel="telegram", address="606"
                )
            )
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:  # type: ignore[attr-defined]
        first, second = await asyncio.gather(
            deliver_pending(bot, sessionmaker), deliver_pending(bot, sessionmaker)
        )
    assert first + second == 12
    assert sorted(bot_api.texts_to(606)) == sorted(texts)
