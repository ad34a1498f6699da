"""Many citizens giving input at once, for the load tests (tests/resilience/test_cluster.py,
test_load_with_faults.py).

Each conversation runs the input form over and over. A message is sent again after a 503
or a cut connection with the same `message_id`, as the widget does (docs/openapi.yml): the
gateway takes it once, so a message a tracker holds twice was saved twice by the engine,
never sent twice by us. When the time is up, forms under way are finished.
"""

from __future__ import annotations

import asyncio
import collections
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

__all__ = ["STEPS", "Talk", "Tally", "conversation", "say"]

# The input form: (message, or None for the input text; what the reply must contain).
STEPS = [
    ("eg vil gi innspel på sak 26/411", "Kva vil du seie"),
    (None, "Kor gammal er du?"),
    ('/inform_age{"age_group": "16-17"}', "Vil du ha svar"),
    ("nei takk", "Skal eg sende dette til kommunen?"),
    ("ja", "har lagra innspelet"),
]


@dataclass
class Talk:
    """One conversation: what was answered (in order), what was sent again after an error,
    and the inputs the person was told are stored."""

    sender: str
    answered: list[str] = field(default_factory=list)
    retried: set[str] = field(default_factory=set)
    confirmed: list[str] = field(default_factory=list)


@dataclass
class Tally:
    """What all conversations saw: sends, HTTP statuses, unexpected replies, latencies."""

    turns: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    unexpected: int = 0
    latencies: list[float] = field(default_factory=list)
    # The first few unexpected replies, to show what went wrong when a test fails.
    unexpected_samples: list[str] = field(default_factory=list)


async def say(
    session: aiohttp.ClientSession, url: str, talk: Talk, text: str, tally: Tally, until: float
) -> str | None:
    """One message, sent again with its id after a 503 or a cut connection; the reply text,
    or None when `until` (monotonic) passed first."""
    message_id = uuid.uuid4().hex
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            async with session.post(
                f"{url}/api/chat",
                json={"sender": talk.sender, "message": text, "message_id": message_id},
            ) as response:
                status, body = response.status, await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError):
            status, body = 0, None
        tally.turns += 1
        tally.statuses[status] += 1
        if status == 200:
            tally.latencies.append(time.monotonic() - started)
            assert body["messages"], "an empty answer"
            talk.answered.append(text)
            return "\n".join(m["text"] for m in body["messages"])
        assert status in (0, 503), (status, body)
        talk.retried.add(text)
        await asyncio.sleep(1)
    return None


async def conversation(
    session: aiohttp.ClientSession,
    url: str,
    talk: Talk,
    input_text: Callable[[int], str],
    stop_at: float,
    finish_seconds: float,
    tally: Tally,
) -> None:
    """Run the input form until `stop_at`; the form under way may take `finish_seconds`
    more. `input_text(n)` is the text of the n-th input (n from 1)."""
    form = 0
    until = stop_at + finish_seconds
    while time.monotonic() < stop_at:
        form += 1
        text = input_text(form)
        for message, expected in STEPS:
            reply = await say(session, url, talk, message or text, tally, until)
            if reply is None:
                return
            if expected not in reply:
                tally.unexpected += 1
                if len(tally.unexpected_samples) < 5:
                    tally.unexpected_samples.append(f"{message or text!r} -> {reply[:160]!r}")
                await say(session, url, talk, "avbryt", tally, until)
                break
            if message == "ja":
                talk.confirmed.append(text)
