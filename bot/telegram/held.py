"""Telegram messages that arrived while the assistant was away, answered when it is back.

A web visitor's widget keeps the unsent text and sends it again; a Telegram
user has no such button, so the bridge keeps the message here, says once that
it will answer soon, and a background task sends the held messages of each
chat in order when the assistant answers again (first after 2 s, then less
often up to every 30 s). The messages are held in the gateway's memory: a
gateway restart loses them, and a chat that sends more than `per_chat` while
the assistant is away is told to send the rest again later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable

from telegram import Bot

__all__ = ["HeldTurns"]

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 30.0

# Sends one held message; returns False when the assistant is still away.
Retry = Callable[[Bot, int, str], Awaitable[bool]]


class HeldTurns:
    """Per-chat queues of messages still to send to the assistant."""

    def __init__(self, retry: Retry, per_chat: int = 20) -> None:
        self._retry = retry
        self._per_chat = per_chat
        self._queues: OrderedDict[int, deque[tuple[Bot, str]]] = OrderedDict()
        self._task: asyncio.Task[None] | None = None

    def holding(self, chat_id: int) -> bool:
        """True when this chat has messages waiting (new ones must wait behind them)."""
        return bool(self._queues.get(chat_id))

    def count(self) -> int:
        """How many messages are waiting in all chats."""
        return sum(len(queue) for queue in self._queues.values())

    def hold(self, bot: Bot, chat_id: int, message: str) -> bool:
        """Keep `message` for later; False when this chat already has too many waiting."""
        queue = self._queues.setdefault(chat_id, deque())
        if len(queue) >= self._per_chat:
            return False
        queue.append((bot, message))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._retry_loop())
        return True

    async def close(self) -> None:
        """Stop retrying (the gateway is stopping)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _retry_loop(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while self._queues:
            await asyncio.sleep(delay)
            if await self._send_all():
                delay = FIRST_RETRY_SECONDS
            else:
                delay = min(MAX_RETRY_SECONDS, delay * 2)

    async def _send_all(self) -> bool:
        """Send what waits, chat by chat, in order; False when the assistant is still away."""
        for chat_id in list(self._queues):
            queue = self._queues[chat_id]
            while queue:
                bot, message = queue[0]
                try:
                    answered = await self._retry(bot, chat_id, message)
                except Exception:
                    # A reply Telegram refused must not block the chat's other messages.
                    log.exception("a held Telegram message failed; it is not sent again")
                    answered = True
                if not answered:
                    return False
                queue.popleft()
            del self._queues[chat_id]
        return True
