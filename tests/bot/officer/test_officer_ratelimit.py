"""The sliding-window limiter for login attempts."""

from __future__ import annotations

import pytest

from bot.officer.ratelimit import SlidingWindowLimiter

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


def test_limit_per_key_and_window_slides() -> None:
    """Each key gets `limit` events per window; old events fall out of the window."""
    now = [0.0]
    limiter = SlidingWindowLimiter(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.allowed("10.0.0.1")
        limiter.hit("10.0.0.1")
    assert not limiter.allowed("10.0.0.1")
    assert limiter.allowed("10.0.0.2")
    now[0] = 61
    assert limiter.allowed("10.0.0.1")
    limiter.hit("10.0.0.1")
    limiter.reset("10.0.0.1")
    assert limiter.allowed("10.0.0.1")


def test_memory_is_bounded() -> None:
    """Many different addresses never grow the table past max_keys."""
    now = [0.0]
    limiter = SlidingWindowLimiter(1, 10, clock=lambda: now[0], max_keys=100)
    for n in range(1000):
        now[0] = n * 0.001
        limiter.hit(f"k{n}")
    assert len(limiter._events) <= 100
