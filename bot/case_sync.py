"""Keeps the stored case data fresh: syncs at start-up, then every MEDVERK_CASE_SYNC_INTERVAL.

A failed sync keeps the old data (the actions then say it may be old); the
loop never stops on an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.background import background_task
from bot.keys import HTTP_SESSION, SESSIONMAKER, SETTINGS
from medverk.cases.keywords import load_keywords
from medverk.cases.sync import SyncResult, build_source, sync_cases
from medverk.cases.translate import case_translator

__all__ = ["LAST_CASE_SYNC", "setup"]

log = logging.getLogger(__name__)

# The outcome of the newest sync in this process (health and tests read it).
LAST_CASE_SYNC = web.AppKey("last_case_sync", list[SyncResult])
_MIN_INTERVAL_SECONDS = 10.0
# A short pause lets the gateway finish starting (and short-lived test apps skip the work).
FIRST_RUN_DELAY_SECONDS = 2.0


async def _loop(app: web.Application, first_delay: float, interval: float) -> None:
    await asyncio.sleep(first_delay)
    while True:
        try:
            source = build_source(app[SETTINGS], app[HTTP_SESSION])
            settings = app[SETTINGS]
            result = await sync_cases(
                app[SESSIONMAKER],
                source,
                keywords=load_keywords(settings.cases_dir),
                translator=case_translator(settings.cases_dir),
                source_malform=settings.case_malform,
            )
            app[LAST_CASE_SYNC][:] = [result]
        except Exception:  # the schedule must survive any single failure
            log.exception("case sync failed")
        await asyncio.sleep(interval)


def setup(
    app: web.Application,
    first_delay: float = FIRST_RUN_DELAY_SECONDS,
    interval: float | None = None,
) -> None:
    """Schedule the case sync for the gateway's lifetime (first run right after start-up).

    MEDVERK_CASE_SYNC_INTERVAL=0 turns the schedule off (then `medverk cases sync`
    from cron or by hand keeps the data fresh).
    """
    app[LAST_CASE_SYNC] = []
    if interval is None and app[SETTINGS].case_sync_interval_seconds <= 0:
        return

    async def case_sync_task(app: web.Application) -> AsyncIterator[None]:
        # A configured interval has a floor, so a typo cannot hammer the case source.
        every = (
            interval
            if interval is not None
            else max(float(app[SETTINGS].case_sync_interval_seconds), _MIN_INTERVAL_SECONDS)
        )
        async with background_task(_loop(app, first_delay, every), "case-sync"):
            yield

    app.cleanup_ctx.append(case_sync_task)
