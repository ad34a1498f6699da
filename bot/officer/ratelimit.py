"""An in-memory sliding-window limiter for login attempts per client address.

Per-account lock-out lives in the database (`Officer.locked_until`); this
limiter stops one address from trying many accounts. It is per process: with
several gateway replicas each allows the limit, which still bounds guessing.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    """Allow at most `limit` events per `window` seconds per key."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def allowed(self, key: str) -> bool:
        """True while `key` has fewer than `limit` events in the window."""
        return len(self._recent(key)) < self.limit

    def hit(self, key: str) -> None:
        """Count one event for `key`."""
        if len(self._events) >= self._max_keys and key not in self._events:
            self._forget_idle()
        self._recent(key).append(self._clock())

    def reserve(self, key: str) -> bool:
        """Count one event for `key` now, if the limit allows it (check and count in one step,
        so a burst of concurrent attempts cannot all pass the check before any is counted)."""
        if not self.allowed(key):
            return False
        self.hit(key)
        return True

    def release(self, key: str) -> None:
        """Take back the newest reservation of `key` (the attempt turned out to be fine)."""
        events = self._events.get(key)
        if events:
            events.pop()

    def reset(self, key: str) -> None:
        """Forget `key` (after a successful login)."""
        self._events.pop(key, None)

    def _forget_idle(self) -> None:
        now = self._clock()
        for key in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window]:
            del self._events[key]
        if len(self._events) >= self._max_keys:
            self._events.clear()
