"""Runs the retention rule for citizens' input once a day inside the gateway."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.background import background_task
from bot.keys import SESSIONMAKER, SETTINGS
from medverk.admin_settings import load_effective
from medverk.retention import RetentionResult, run_conversation_retention, run_retention

__all__ = ["run_once", "setup"]

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 24 * 60 * 60
FIRST_RUN_DELAY_SECONDS = 60.0


async def run_once(app: web.Application) -> tuple[RetentionResult, int]:
    """Apply the retention rule in force now (an admin may have changed it); returns
    what happened to input and messages, and how many conversation events went."""
    settings = app[SETTINGS]
    # Read fresh, not from the cache: a run is daily, and must use today's rule.
    async with app[SESSIONMAKER]() as session:
        rule = await load_effective(session, settings)
    result = await run_retention(
        app[SESSIONMAKER], days=rule.retention_days, mode=rule.retention_mode
    )
    events = await run_conversation_retention(settings, days=rule.retention_days)
    return result, events


async def _loop(app: web.Application, first_delay: float, interval: float) -> None:
    await asyncio.sleep(first_delay)
    while True:
        try:
            result, events = await run_once(app)
            log.info(
                "retention (before %s): %d inputs %s, %d messages and %d conversation "
                "events deleted",
                f"{result.cutoff:%Y-%m-%d}",
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
        async with background_task(_loop(app, first_delay, interval), "retention"):
            yield

    app.cleanup_ctx.append(retention_task)
