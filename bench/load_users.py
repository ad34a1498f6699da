"""Simulated chat users for `bench/load.py`: scripted conversations and their timings.

Two modes. Closed loop (`play_users`): each user sends, waits for the answer and sends
the next message at once (no think time) over one keep-alive aiohttp session, so a run
measures what the engine can serve (msg/s; the throughput ratios). Class (`play_class`):
a class of pupils typing: each waits a think time (uniform, default 3-8 s, from a seeded
random generator, so two runs send the same pattern) before each message and starts at a
random moment within the first think time; its latencies are what a pupil sees.

A Medverk conversation gives a full input (case, text, age, no contact, confirm),
asks its status, asks a question and says goodbye; users alternate Nynorsk and
Bokmål. The moodbot plays Rasa's own `rasa init` conversations.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

__all__ = [
    "LoadResult",
    "Target",
    "play_class",
    "play_long_conversation",
    "play_users",
    "summarise",
]

RESENDS = 2
CONFIRMED = ("har lagra innspelet", "har lagret innspillet")


def medverk_conversation(malform: str, tag: str) -> list[str]:
    """One visit: a full input submission first (a class asked to give input), then questions."""
    if malform == "nn":
        return [
            "eg vil gi innspel på sak 26/411",
            f"Bussen er for dyr for oss som bur langt unna sentrum, skriv {tag}",
            '/inform_age{"age_group": "16-17"}',
            "nei takk",
            "ja",
            "kva skjedde med innspelet mitt?",
            "kva saker er på høyring no?",
            "takk, ha det",
        ]
    return [
        "jeg vil gi innspill om kulturhuset",
        f"Kulturhuset må ha øvingsrom for band og et sted å være på kvelden, skriver {tag}",
        "jeg er 17",
        "nei takk",
        "ja",
        "hva skjedde med innspillet mitt?",
        "hva kan du hjelpe meg med?",
        "takk, ha det",
    ]


def moodbot_conversation(malform: str, tag: str) -> list[str]:
    """Rasa's `rasa init` stories: greet, mood, affirm or deny, goodbye."""
    if malform == "nn":
        return ["hello", "I am sad", "yes", "bye"]
    return ["hi", "I am feeling very good", "great", "goodbye"]


@dataclass(frozen=True)
class Target:
    """Where simulated users send their messages and how a reply is read."""

    name: str
    url: str  # POST endpoint
    conversation: Callable[[str, str], list[str]]
    body: Callable[[str, str, str], dict[str, Any]]  # sender, message, message id
    texts: Callable[[Any], list[str]]


def gateway_target(name: str, base_url: str) -> Target:
    return Target(
        name=name,
        url=f"{base_url}/api/chat",
        conversation=medverk_conversation,
        body=lambda sender, message, message_id: {
            "sender": sender,
            "message": message,
            "message_id": message_id,
        },
        texts=lambda data: [str(m.get("text") or "") for m in data.get("messages", [])],
    )


def rasa_rest_target(name: str, rasa_url: str) -> Target:
    return Target(
        name=name,
        url=f"{rasa_url}/webhooks/rest/webhook",
        conversation=moodbot_conversation,
        body=lambda sender, message, _message_id: {"sender": sender, "message": message},
        texts=lambda data: [str(m.get("text") or "") for m in data],
    )


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, per answered message
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    confirmed: int = 0
    conversations: int = 0
    seconds: float = 0.0

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def _send(
    session: aiohttp.ClientSession,
    target: Target,
    sender: str,
    message: str,
    message_id: str | None = None,
) -> list[str]:
    body = target.body(sender, message, message_id or uuid.uuid4().hex)
    async with session.post(target.url, json=body) as response:
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        return target.texts(await response.json())


async def _user(
    session: aiohttp.ClientSession,
    target: Target,
    user: int,
    deadline: float,
    result: LoadResult,
    think: Callable[[], float] | None = None,
) -> None:
    visit = 0
    while time.monotonic() < deadline:
        malform = "nn" if (user + visit) % 2 == 0 else "nb"
        sender = f"bench-{target.name}-{user:04d}-{visit:05d}"
        for message in target.conversation(malform, sender):
            if think is not None:
                await asyncio.sleep(min(think(), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            message_id = uuid.uuid4().hex
            texts = None
            # A failed message is sent again with the same id, as the widget does (one turn).
            for _attempt in range(1 + RESENDS):
                try:
                    texts = await _send(session, target, sender, message, message_id)
                    break
                except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, ValueError) as exc:
                    result.error(str(exc) or type(exc).__name__)
                    await asyncio.sleep(1)
            if texts is None:
                continue
            result.latencies.append(time.perf_counter() - started)
            if any(mark in text for text in texts for mark in CONFIRMED):
                result.confirmed += 1
        result.conversations += 1
        visit += 1


async def play_users(target: Target, users: int, seconds: float) -> LoadResult:
    """`users` concurrent closed-loop users for `seconds`."""
    result = LoadResult()
    connector = aiohttp.TCPConnector(limit=users + 4)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_user(session, target, n, deadline, result) for n in range(users)))
        result.seconds = time.monotonic() - started
    return result


async def play_class(
    target: Target,
    users: int,
    seconds: float,
    think: tuple[float, float] = (3.0, 8.0),
    seed: int = 14,
) -> LoadResult:
    """`users` pupils for `seconds`, each waiting `think` (min, max s) before every message."""
    result = LoadResult()
    connector = aiohttp.TCPConnector(limit=users + 4)
    timeout = aiohttp.ClientTimeout(total=60)
    low, high = think

    def pupil(n: int) -> Callable[[], float]:
        rng = random.Random(seed * 100_003 + n)  # noqa: S311 - a load pattern, not a secret
        first = [rng.uniform(0, high)]  # pupils do not all start typing at the same moment
        return lambda: first.pop() if first else rng.uniform(low, high)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(_user(session, target, n, deadline, result, pupil(n)) for n in range(users))
        )
        result.seconds = time.monotonic() - started
    return result


async def play_long_conversation(target: Target, sender: str, messages: int) -> list[float]:
    """One conversation of `messages` questions (no form); the latency of each, in order."""
    questions = [
        "kva saker er på høyring no?",
        "kva er ungdomsrådet?",
        "hva skjer med dataene mine?",
        "takk",
    ]
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:
        for n in range(messages):
            started = time.perf_counter()
            await _send(session, target, sender, questions[n % len(questions)])
            latencies.append(time.perf_counter() - started)
    return latencies


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summarise(result: LoadResult) -> dict[str, Any]:
    """msg/s and latency percentiles in milliseconds."""
    lat = result.latencies or [float("nan")]
    return {
        "messages": len(result.latencies),
        "msg_per_s": round(len(result.latencies) / result.seconds, 2) if result.seconds else 0,
        "p50_ms": round(statistics.median(lat) * 1000, 1),
        "p95_ms": round(_percentile(lat, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(lat, 0.99) * 1000, 1),
        "errors": result.errors,
        "error_kinds": result.error_kinds,
        "inputs_confirmed": result.confirmed,
        "conversations": result.conversations,
    }
