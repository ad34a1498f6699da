"""Token-bucket rate limits: bursts pass, floods wait, memory stays bounded."""

from __future__ import annotations

import pytest

from bot.rate_limit import RateLimiter

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_capacity_passes_then_waits() -> None:
    """Capacity requests pass at once; the next one is told how long to wait."""
    clock = FakeClock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.retry_after("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.retry_after("a") == pytest.approx(20)


def test_tokens_refill_evenly_over_the_period() -> None:
    """After period/capacity seconds one more request passes."""
    clock = FakeClock()
    limiter = RateLimiter(3, 60, clock=clock)
    for _ in range(3):
        limiter.retry_after("a")
    clock.now += 20
    assert limiter.retry_after("a") == 0
    assert limiter.retry_after("a") > 0


def test_keys_are_independent() -> None:
    """One flooding key does not limit another."""
    limiter = RateLimiter(1, 60, clock=FakeClock())
    assert limiter.retry_after("a") == 0
    assert limiter.retry_after("a") > 0
    assert limiter.retry_after("b") == 0


def test_memory_is_bounded() -> None:
    """Idle keys are forgotten once the table is full."""
    clock = FakeClock()
    limiter = RateLimiter(2, 10, clock=clock, max_keys=100)
    for n in range(100):
        limiter.retry_after(f"k{n}")
    clock.now += 10
    limiter.retry_after("new")
    assert len(limiter._buckets) <= 2


def test_nonsense_limits_are_refused() -> None:
    """A limit of zero requests would lock everyone out: refuse it."""
    with pytest.raises(ValueError):
        RateLimiter(0, 60)
