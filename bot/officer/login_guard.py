"""One password check in flight per account and per client address (F1).

Concurrent login attempts for the same account or from the same address wait
their turn, so the lock-out counter and the address limit see every attempt
before the next one is checked. Locks are dropped again when nobody waits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

__all__ = ["InFlight"]


class InFlight:
    """Named asyncio locks that exist only while someone holds or awaits them."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def one_at_a_time(self, *names: str) -> AsyncIterator[None]:
        """Hold the lock of every name (taken in sorted order, so no two callers deadlock)."""
        ordered = sorted(set(names))
        for name in ordered:
            lock, users = self._locks.get(name, (asyncio.Lock(), 0))
            self._locks[name] = (lock, users + 1)
        taken: list[asyncio.Lock] = []
        try:
            for name in ordered:
                lock = self._locks[name][0]
                await lock.acquire()
                taken.append(lock)
            yield
        finally:
            for lock in taken:
                lock.release()
            for name in ordered:
                lock, users = self._locks[name]
                if users <= 1:
                    del self._locks[name]
                else:
                    self._locks[name] = (lock, users - 1)
