"""Telegram messages that arrived while the assistant was away, answered when it is back.

A web visitor's widget keeps the unsent text and sends it again; a Telegram
user has no such button, so the bridge keeps the message here, says once that
it will answer soon, and a background task answers the held messages of each
chat in order when the assistant answers again (first after 2 s, then less
often up to every 30 s).

The messages are kept in the store (`telegram_held`), so they survive a
gateway restart: the runtime calls `resume` when the bot is up again. Each is
answered once: the assistant's answer is noted on the row before it is sent,
and the row is dropped after sending, so a gateway that stops in between sends
the noted answer after the restart without a second turn. A chat with
`per_chat` messages waiting, or a store that cannot be written, means the
message is not kept and the chat is told to send it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.background import cancel_and_wait
from bot.conversation import BotMessage
from bot.rasa_client import RasaUnavailable
from medverk.store.held_repo import (
    count_held,
    drop_held,
    held_chats,
    hold_message,
    next_held,
    set_held_reply,
)

__all__ = ["HeldTurns"]

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 30.0
_STORE_ERRORS = (SQLAlchemyError, OSError, asyncio.TimeoutError)

# The assistant's answer to one held message (raises RasaUnavailable while it is away).
Answer = Callable[[int, str], Awaitable[list[BotMessage]]]
# Sends an answer to the chat.
Deliver = Callable[[Bot, int, list[BotMessage]], Awaitable[None]]


class HeldTurns:
    """Per-chat queues, in the store, of messages still to send to the assistant."""

    def __init__(
        self,
        answer: Answer,
        deliver: Deliver,
        sessions: Callable[[], async_sessionmaker[AsyncSession]],
        per_chat: int = 20,
    ) -> None:
        self._answer = answer
        self._deliver = deliver
        self._sessions = sessions
        self._per_chat = per_chat
        self._bot: Bot | None = None
        self._task: asyncio.Task[None] | None = None

    async def holding(self, chat_id: int) -> bool:
        """True when this chat has messages waiting (new ones must wait behind them)."""
        try:
            return await self.count(chat_id) > 0
        except _STORE_ERRORS:
            return False

    async def count(self, chat_id: int | None = None) -> int:
        """How many messages are waiting (in one chat, or in all)."""
        async with self._sessions()() as session:
            return await count_held(session, chat_id)

    async def hold(self, bot: Bot, chat_id: int, message: str) -> bool:
        """Keep `message` for later; False when it could not be kept (too many, or no store)."""
        try:
            async with self._sessions().begin() as session:
                kept = await hold_message(session, chat_id, message, self._per_chat)
        except _STORE_ERRORS:
            log.warning("could not hold a Telegram message: the store is unavailable")
            return False
        if kept:
            self.resume(bot)
        return kept

    def resume(self, bot: Bot) -> None:
        """Answer what waits (also what an earlier gateway run held) with `bot`."""
        self._bot = bot
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._retry_loop())

    async def close(self) -> None:
        """Stop retrying (the gateway is stopping); what waits stays in the store."""
        await cancel_and_wait(self._task)

    async def _retry_loop(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while True:
            await asyncio.sleep(delay)
            try:
                done = await self._send_all()
            except _STORE_ERRORS:
                log.warning("held Telegram messages: the store is unavailable; trying later")
                done = False
            if done:
                # Held while this round went past its chat: another round.
                with contextlib.suppress(*_STORE_ERRORS):
                    if await self.count() == 0:
                        return
                delay = FIRST_RETRY_SECONDS
                continue
            delay = min(MAX_RETRY_SECONDS, delay * 2)

    async def _send_all(self) -> bool:
        """Answer what waits, chat by chat, in order; False when the assistant is still away."""
        sessions = self._sessions()
        async with sessions() as session:
            chats = list(await held_chats(session))
        for chat_id in chats:
            while True:
                async with sessions() as session:
                    row = await next_held(session, chat_id)
                    held = None if row is None else (row.id, row.message, row.reply)
                if held is None:
                    break
                held_id, message, noted = held
                if noted is None:
                    try:
                        replies = await self._answer(chat_id, message)
                    except RasaUnavailable:
                        return False
                    async with sessions.begin() as session:
                        await set_held_reply(session, held_id, json.dumps(replies))
                else:
                    replies = json.loads(noted)
                await self._send(chat_id, replies)
                async with sessions.begin() as session:
                    await drop_held(session, held_id)
        return True

    async def _send(self, chat_id: int, replies: list[BotMessage]) -> None:
        assert self._bot is not None
        try:
            await self._deliver(self._bot, chat_id, replies)
        except Exception:
            # A reply Telegram refused must not block the chat's other messages.
            log.exception("a held Telegram message's answer failed; it is not sent again")
