"""Runs the retention rule for citizens' input once a day inside the gateway."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.keys import SESSIONMAKER, SETTINGS
from medverk.retention import run_conversation_retention, run_retention

__all__ = ["setup"]

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 24 * 60 * 60
FIRST_RUN_DELAY_SECONDS = 60.0


async def _loop(app: web.Application, first_delay: float, interval: float) -> None:
    settings = app[SETTINGS]
    await asyncio.sleep(first_delay)
    while True:
        try:
            result = await run_retention(
                app[SESSIONMAKER], days=settings.retention_days, mode=settings.retention_mode
            )
            events = await run_conversation_retention(settings, days=settings.retention_days)
            log.info(
                "retention: %d inputs %s, %d messages and %d conversation events deleted",
                result.inputs,
                result.mode,
                result.messages,
                events,
            )
        except Exception:
            log.exception("retention run failed")
        await asyncio.sleep(interval)


def setup(
    app: web.Application,
    first_delay: float = FIRST_RUN_DELAY_SECONDS,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """Schedule the daily retention run for the gateway's lifetime."""

    async def retention_task(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(_loop(app, first_delay, interval), name="retention")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    app.cleanup_ctx.append(retention_task)
