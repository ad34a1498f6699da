"""The default chat limits fit a school class behind one address, and stay tight per chat.

The numbers are the settings' defaults (docs/performance.md): 30 pupils chatting at
once through one school address are never throttled; one conversation that floods is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.rate_limit import RateLimiter
from medverk.settings import load_settings

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

SCHOOL_ADDRESS = "198.51.100.7"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limiters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[FakeClock, RateLimiter, RateLimiter]:
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("MEDVERK_CHAT_LIMIT_PER_IP", raising=False)
    monkeypatch.delenv("MEDVERK_CHAT_LIMIT_PER_SENDER", raising=False)
    settings = load_settings()
    clock = FakeClock()
    per_ip = RateLimiter(settings.chat_limit_per_ip, 60, clock=clock)
    per_sender = RateLimiter(settings.chat_limit_per_sender, 60, clock=clock)
    return clock, per_ip, per_sender


def _allowed(per_ip: RateLimiter, per_sender: RateLimiter, sender: str) -> bool:
    return max(per_ip.retry_after(SCHOOL_ADDRESS), per_sender.retry_after(sender)) == 0


def test_thirty_pupils_behind_one_address_chat_for_a_lesson_unthrottled(
    limiters: tuple[FakeClock, RateLimiter, RateLimiter],
) -> None:
    """30 pupils, each a message every 4 s (15 a minute), for 10 minutes: none refused."""
    clock, per_ip, per_sender = limiters
    refused = 0
    for _tick in range(150):  # 150 rounds of 4 s
        for pupil in range(30):
            refused += not _allowed(per_ip, per_sender, f"web:pupil{pupil:02d}")
            clock.now += 4 / 30
    assert refused == 0


def test_the_whole_class_starting_at_once_passes(
    limiters: tuple[FakeClock, RateLimiter, RateLimiter],
) -> None:
    """The teacher says 'go': 30 pupils send 10 messages each within a few seconds."""
    clock, per_ip, per_sender = limiters
    answers = []
    for _ in range(10):
        for pupil in range(30):
            answers.append(_allowed(per_ip, per_sender, f"web:pupil{pupil:02d}"))
            clock.now += 0.01
    assert all(answers)


def test_one_flooding_conversation_is_stopped_after_twenty(
    limiters: tuple[FakeClock, RateLimiter, RateLimiter],
) -> None:
    """One chat sending a message every 0.5 s for 20 s: a burst of 20, then one per 3 s."""
    clock, per_ip, per_sender = limiters
    results = []
    for _ in range(40):
        results.append(_allowed(per_ip, per_sender, "web:flooder"))
        clock.now += 0.5
    assert results[:20] == [True] * 20
    assert 24 <= results.count(True) <= 27  # 20 + 20 s of refill at one per 3 s
    assert results[-6:].count(True) <= 2
