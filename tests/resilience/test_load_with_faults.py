"""Load with faults: 50 conversations give input for 2 minutes while parts are killed.

The action server is killed (SIGKILL) after 30 s and the Rasa engine after
70 s; the supervisor restarts them. Every conversation runs the input form
over and over, sending a message again after a 503 or a lost connection with
the same message id, as the widget does (the gateway takes it once). When
the time is up, forms under way are finished. Then: the inputs confirmed to
people equal the inputs stored (none stored without the person being told),
with no duplicates. The numbers (turns,
errors people saw, restarts) are printed; docs/resilience.md has a run.
MEDVERK_LOAD_SECONDS and MEDVERK_LOAD_CONVERSATIONS change the size.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import time
from collections.abc import Callable

import aiohttp
import pytest
from chat_load import Talk, Tally, conversation
from stack_chat import kill, stored_inputs, wait_for_cases, wait_healthy

from medverk.runner import Stack

pytestmark = pytest.mark.stack

SECONDS = float(os.environ.get("MEDVERK_LOAD_SECONDS", "120"))
CONVERSATIONS = int(os.environ.get("MEDVERK_LOAD_CONVERSATIONS", "50"))
KILLS = [(30.0, "actions"), (70.0, "rasa")]
FINISH_SECONDS = 240.0


def _input_text(index: int) -> Callable[[int], str]:
    return lambda form: (
        f"Innspel {index}-{form}: bussen er for dyr for oss som bur langt ute på bygda"
    )


async def _kill_on_schedule(stack: Stack, started: float, restarts: list[str]) -> None:
    for at, name in KILLS:
        await asyncio.sleep(max(0.0, started + at - time.monotonic()))
        kill(stack, name)
        restarts.append(f"{name} killed at {time.monotonic() - started:.0f} s")


async def test_inputs_confirmed_equal_inputs_stored_under_load_with_kills(stack: Stack) -> None:
    """50 conversations, 2 minutes, two kills: confirmed == stored, no duplicates."""
    settings = stack.settings()
    await wait_for_cases(settings)
    await wait_healthy(stack.gateway_url)
    before = len(await stored_inputs(settings))
    tally = Tally()
    talks = [Talk(f"load-{i:03d}-{os.getpid()}") for i in range(CONVERSATIONS)]
    events: list[str] = []
    started = time.monotonic()
    stop_at = started + SECONDS
    connector = aiohttp.TCPConnector(limit=CONVERSATIONS)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        await asyncio.gather(
            _kill_on_schedule(stack, started, events),
            *(
                conversation(
                    session, stack.gateway_url, talk, _input_text(i), stop_at, FINISH_SECONDS, tally
                )
                for i, talk in enumerate(talks)
            ),
        )
    elapsed = time.monotonic() - started
    recovered = await wait_healthy(stack.gateway_url)
    rows = (await stored_inputs(settings))[before:]
    stored_texts = [row.text for row in rows if row.text.startswith("Innspel ")]
    duplicates = [t for t, n in collections.Counter(stored_texts).items() if n > 1]
    confirmed = [text for talk in talks for text in talk.confirmed]
    latencies = sorted(tally.latencies) or [0.0]
    numbers = {
        "conversations": CONVERSATIONS,
        "seconds": round(elapsed),
        "turns": tally.turns,
        "status_counts": dict(tally.statuses),
        "unexpected_replies": tally.unexpected,
        "inputs_confirmed": len(confirmed),
        "inputs_stored": len(stored_texts),
        "stored_unconfirmed": len(stored_texts) - len(confirmed),
        "duplicates": len(duplicates),
        "p50_s": round(latencies[len(latencies) // 2], 2),
        "p95_s": round(latencies[int(len(latencies) * 0.95)], 2),
        "kills": events,
        "healthy_after_s": round(recovered, 1),
    }
    print("load with faults:", json.dumps(numbers))
    assert len(events) == len(KILLS)
    assert not duplicates
    # Every input a person was told is stored, is stored (none lost).
    assert set(confirmed) <= set(stored_texts)
    # And nothing stored without the person being told (was up to 3 % before the gateway
    # answered a resent message id once: a receipt lost with a killed part, a double turn).
    assert len(stored_texts) == len(confirmed), numbers
    assert confirmed
