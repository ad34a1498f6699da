"""Per-chat flood control and the order of a chat's turns."""

from __future__ import annotations

import asyncio

import pytest

from bot.telegram.flood import Admission, ChatFloodGuard

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_answered_then_one_notice_then_silence() -> None:
    """Over the burst, the chat is told once and the rest is not sent on."""
    clock = FakeClock()
    guard = ChatFloodGuard(burst=3, per_second=1.0, clock=clock)
    results = [guard.admit(42) for _ in range(6)]
    assert results == [Admission.ANSWER] * 3 + [Admission.NOTIFY] + [Admission.IGNORE] * 2


def test_the_limit_refills_with_time_and_is_per_chat() -> None:
    """Waiting gives new messages; another chat is never slowed by this one."""
    clock = FakeClock()
    guard = ChatFloodGuard(burst=2, per_second=0.5, clock=clock)
    assert [guard.admit(1) for _ in range(3)] == [
        Admission.ANSWER,
        Admission.ANSWER,
        Admission.NOTIFY,
    ]
    assert guard.admit(2) is Admission.ANSWER
    clock.now += 2.0
    assert guard.admit(1) is Admission.ANSWER
    assert guard.admit(1) is Admission.NOTIFY  # a new flood gets a new notice


async def test_turns_of_one_chat_run_one_at_a_time_in_arrival_order() -> None:
    """A slow first turn is not overtaken by a fast second one."""
    guard = ChatFloodGuard()
    events: list[str] = []

    async def turn(name: str, delay: float) -> None:
        async with guard.turn(7):
            events.append(f"{name} start")
            await asyncio.sleep(delay)
            events.append(f"{name} end")

    await asyncio.gather(turn("a", 0.05), turn("b", 0))
    assert events == ["a start", "a end", "b start", "b end"]
    assert guard._locks == {}  # no lock is kept for an idle chat
