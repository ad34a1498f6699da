"""Helpers for the resilience tests: a citizen on the chat API, the stack's parts, the store."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import Any

import aiohttp
from sqlalchemy import func, select

from medverk.identity import sender_key
from medverk.runner import Stack
from medverk.settings import Settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import AgendaItem, Input

__all__ = [
    "Chat",
    "health",
    "kill",
    "stored_inputs",
    "until_answered",
    "wait_for_cases",
    "wait_healthy",
]


class Chat:
    """One citizen talking to the widget's chat API; keeps every status seen."""

    def __init__(self, session: aiohttp.ClientSession, url: str, sender: str) -> None:
        self.session, self.url, self.sender = session, url, sender

    async def post(self, message: str) -> tuple[int, dict[str, Any]]:
        async with self.session.post(
            f"{self.url}/api/chat", json={"sender": self.sender, "message": message}
        ) as response:
            return response.status, await response.json()

    async def text(self, message: str) -> str:
        status, body = await self.post(message)
        assert status == 200, body
        assert body["messages"], "an empty answer"
        return "\n".join(m["text"] for m in body["messages"])


async def until_answered(chat: Chat, message: str, timeout: float = 240) -> str:
    """Send `message` again (as the widget does) until the assistant answers it (not 503)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = await chat.post(message)
        if status == 200:
            assert body["messages"], "an empty answer"
            return "\n".join(m["text"] for m in body["messages"])
        assert status == 503, body
        await asyncio.sleep(1)
    raise AssertionError(f"not answered within {timeout:.0f} s")


async def health(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(f"{url}/healthz") as response:
        return response.status, await response.json()


async def wait_healthy(url: str, timeout: float = 240) -> float:
    """Seconds until /healthz says every part is ok again."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            status, _body = await health(url)
        except aiohttp.ClientError:
            status = 0
        if status == 200:
            return time.monotonic() - started
        await asyncio.sleep(0.5)
    raise AssertionError(f"the stack was not healthy again within {timeout:.0f} s")


def kill(stack: Stack, name: str) -> int:
    """SIGKILL the process group of part `name`; its pid."""
    process = stack.processes[name]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return process.pid


async def wait_for_cases(settings: Settings) -> None:
    """The gateway syncs the sample cases at start; wait until they are in the store."""
    engine = create_engine(settings.database_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            async with create_sessionmaker(engine)() as session:
                if await session.scalar(select(func.count()).select_from(AgendaItem)):
                    return
            await asyncio.sleep(0.5)
        raise AssertionError("the gateway did not sync the sample cases within 60 s")
    finally:
        await engine.dispose()


async def stored_inputs(settings: Settings, sender_id: str | None = None) -> list[Input]:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            query = select(Input)
            if sender_id is not None:
                key = sender_key(settings.secret_key, sender_id)
                query = query.where(Input.sender_key == key)
            return list(await session.scalars(query))
    finally:
        await engine.dispose()
