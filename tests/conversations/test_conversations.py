"""At least 150 written conversations, played end to end through `/api/chat`; ≥ 97 % must pass.

The conversations (tests/conversations/*.yml) are written the way people write:
teenagers in dialect with typos and emoji, adults in full sentences, both
målformer, and the unhappy paths (questions in the middle of the form,
follow-up questions, mistyped e-mail, personal data in an input, English).
"""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from medverk.runner import Stack
from tests.conversations.play import load_conversations, play_all, report

pytestmark = pytest.mark.stack

# Issue 13's target is 0.97; the suite passed 155 of 174 (89.1 %) on 2 December, after
# it met the merged retrieval, NLU and reply texts, and 167 of 174 (96.0 %) after the
# case texts in the reader's målform and the misheard-case-question fixes (a model
# trained on them), and 185 of 185 (100 %) after issue 13's unhappy-path fixes (11 new
# conversations). The floor holds what works (a little below, for the model's
# retraining); raise it with every fix until it reaches the target.
PASS_RATE_TARGET = 0.97
PASS_RATE_REQUIRED = 0.97


async def _wait_for_cases(base_url: str) -> None:
    """The gateway syncs the sample cases just after it starts: wait until a case is found."""
    deadline = time.monotonic() + 90
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            body = {"sender": "conv-warmup-0001", "message": "sak 2026/411"}
            async with session.post(f"{base_url}/api/chat", json=body) as response:
                texts = [m["text"] for m in (await response.json()).get("messages", [])]
            if any("Gratis buss" in t for t in texts):
                return
            await asyncio.sleep(1)
    pytest.fail("the sample cases were not synced within 90 s")


def test_the_suite_is_big_and_varied() -> None:
    """150 or more conversations, in both målformer, with unique names."""
    conversations = load_conversations()
    names = [c.name for c in conversations]
    assert len(conversations) >= 150
    assert len(set(names)) == len(names)
    assert {c.malform for c in conversations} >= {"nn", "nb"}


async def test_conversations_pass(stack: Stack) -> None:
    """Every conversation played as a new person; the pass rate is printed and may not fall."""
    await _wait_for_cases(stack.gateway_url)
    outcomes = await play_all(stack.gateway_url, load_conversations())
    rate = report(outcomes)
    print(f"target {PASS_RATE_TARGET:.0%}, floor {PASS_RATE_REQUIRED:.0%}")
    assert rate >= PASS_RATE_REQUIRED, f"pass rate {rate:.1%} is below {PASS_RATE_REQUIRED:.0%}"
