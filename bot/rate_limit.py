"""Token-bucket rate limits kept in the gateway's memory.

Each key (a sender id, an IP address) has a bucket of `capacity` tokens that
refills evenly over `period` seconds; a request takes one token. Short bursts
pass, a steady flood does not. Limits are per gateway process: with several
gateway replicas each allows its share, which is enough to stop one client
from flooding the assistant.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter"]


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """At most `capacity` requests per key in any `period` seconds, refilled evenly."""

    def __init__(
        self,
        capacity: int,
        period: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        if capacity < 1 or period <= 0:
            raise ValueError("capacity must be at least 1 and period positive")
        self.capacity = capacity
        self.period = period
        self._rate = capacity / period
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def _refilled(self, bucket: _Bucket, now: float) -> float:
        return min(self.capacity, bucket.tokens + (now - bucket.updated) * self._rate)

    def retry_after(self, key: str) -> float:
        """Take a token for `key`: 0 when allowed, else seconds until one is free."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
        bucket.tokens = self._refilled(bucket, now)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self._rate

    def _forget_full(self, now: float) -> None:
        """Keep memory bounded: drop keys whose bucket has refilled completely."""
        if len(self._buckets) < self._max_keys:
            return
        full = [k for k, b in self._buckets.items() if self._refilled(b, now) >= self.capacity]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self._max_keys:
            # Every key is active: forget the oldest half rather than grow without end.
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k].updated)
            for key in oldest[: len(oldest) // 2]:
                del self._buckets[key]
