"""Per-chat flood control and ordering of incoming messages.

Each chat gets a token bucket: a burst of `burst` messages is answered at
once, then one message per `1 / per_second` seconds. A chat over its limit gets
one notice per flood and its extra messages are not sent to the assistant
(they are not input: input is only stored after the form's confirmation).
Each chat's turns run one at a time, in the order they arrived, so the
conversation never sees its messages swapped.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

__all__ = ["Admission", "ChatFloodGuard"]


class Admission(enum.Enum):
    """What to do with one incoming message."""

    ANSWER = "answer"
    NOTIFY = "notify"  # over the limit: tell the user once
    IGNORE = "ignore"  # over the limit, already told


@dataclass
class _Bucket:
    tokens: float
    updated: float
    notified: bool = False


class ChatFloodGuard:
    """Token bucket per chat plus a per-chat lock that keeps turns in order."""

    def __init__(
        self,
        burst: int = 20,
        per_second: float = 1.0,
        max_chats: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._burst = burst
        self._rate = per_second
        self._max_chats = max_chats
        self._clock = clock
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    def admit(self, chat_id: int) -> Admission:
        """Take one token for `chat_id`; call it when the message arrives."""
        now = self._clock()
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = _Bucket(tokens=float(self._burst), updated=now)
            self._buckets[chat_id] = bucket
            while len(self._buckets) > self._max_chats:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(chat_id)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.notified = False
            return Admission.ANSWER
        if bucket.notified:
            return Admission.IGNORE
        bucket.notified = True
        return Admission.NOTIFY

    def busy(self, chat_id: int) -> bool:
        """True while a turn of `chat_id` runs or waits."""
        return chat_id in self._waiting

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Run the body alone for `chat_id`, after the turns that came before it."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._waiting[chat_id] = self._waiting.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[chat_id] -= 1
            if not self._waiting[chat_id]:
                del self._waiting[chat_id]
                del self._locks[chat_id]
