"""Benchmark: the Telegram bridge under load, against the Bot API stand-in.

Run: `PYTHONPATH=. .venv/app/bin/python bench/telegram_chats.py [--chats 20] [--per-chat 5]`.
Starts the Rasa engine and action server with the model in models/ (or
MEDVERK_TEST_MODEL), runs the gateway in this process with its bot pointed at
the stand-in from the tests, then measures:
- a burst of 50 messages from one chat: time until every message is handled,
  how many reached the assistant, how many notices were sent;
- many chats at once: latency from a user's message to the bot's first reply
  (p50, p95, max) and the messages handled per second.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.telegram import TELEGRAM
from bot.telegram import setup as telegram_setup
from medverk.runner import Stack, running_stack
from medverk.settings import PROJECT_ROOT, Settings

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "bot" / "telegram"))
from tg_bot_api_standin import BotApiStandIn  # the stand-in lives with the tests

MODEL = Path(os.environ.get("MEDVERK_TEST_MODEL", PROJECT_ROOT / "models"))
NOTICE = "Du sender veldig mange meldingar"
MESSAGES = ["hei", "kva saker kjem opp snart?", "ka e ungdomsrådet", "takk!", "hva er en høring?"]


def _settings(stack: Stack, api: BotApiStandIn, base_url: str) -> Settings:
    settings = stack.settings()
    return dataclasses.replace(
        settings,
        telegram_bot_token=api.token,
        telegram_api_base_url=base_url,
        telegram_webhook_url="",
    )


async def _idle(app: object, chat_ids: list[int]) -> None:
    guard = app[TELEGRAM].bridge.guard  # type: ignore[index]
    while any(guard.busy(c) for c in chat_ids):
        await asyncio.sleep(0.01)


async def _burst(app: object, api: BotApiStandIn) -> dict[str, float]:
    chat = 900_001
    started = time.perf_counter()
    for n in range(50):
        await api.send(chat, f"hei {n}")
    await api.wait_until(lambda: any(NOTICE in t for t in api.texts_to(chat)), timeout=120)
    await asyncio.sleep(0.1)
    await _idle(app, [chat])
    elapsed = time.perf_counter() - started
    texts = api.texts_to(chat)
    return {
        "messages": 50,
        "answered_by_assistant": len([t for t in texts if NOTICE not in t]),
        "notices": sum(NOTICE in t for t in texts),
        "seconds": round(elapsed, 2),
    }


async def _many_chats(app: object, api: BotApiStandIn, chats: int, per_chat: int) -> dict:
    latencies: list[float] = []

    async def one_chat(chat_id: int) -> None:
        for n in range(per_chat):
            before = len(api.calls_to("sendMessage", chat_id))
            sent = time.perf_counter()
            await api.send(chat_id, MESSAGES[n % len(MESSAGES)])
            await api.replies(chat_id, after=before, timeout=120)
            latencies.append((time.perf_counter() - sent) * 1000)
            await _idle(app, [chat_id])

    started = time.perf_counter()
    await asyncio.gather(*(one_chat(910_000 + i) for i in range(chats)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "chats": chats,
        "messages": chats * per_chat,
        "first_reply_ms_p50": round(statistics.median(latencies)),
        "first_reply_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1]),
        "first_reply_ms_max": round(latencies[-1]),
        "messages_per_second": round(chats * per_chat / elapsed, 1),
    }


async def _run(stack: Stack, chats: int, per_chat: int) -> dict:
    api = BotApiStandIn()
    base_url = await api.start()
    app = create_app(_settings(stack, api, base_url))
    if TELEGRAM not in app:
        telegram_setup(app)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        await asyncio.wait_for(app[TELEGRAM].ready.wait(), 30)
        return {
            "burst_one_chat": await _burst(app, api),
            "many_chats": await _many_chats(app, api, chats, per_chat),
        }
    finally:
        await server.close()
        await api.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--per-chat", type=int, default=5)
    args = parser.parse_args()
    with running_stack(model=MODEL) as stack:
        result = asyncio.run(_run(stack, args.chats, args.per_chat))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
