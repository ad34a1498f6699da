"""The admin-editable settings in force, for every part of the gateway.

`setup(app)` keeps an `EffectiveCache` on the app and re-reads it in the
background every `REFRESH_SECONDS`, so handlers and the Telegram bridge read
`effective(app)` without waiting; the settings page refreshes it at once after
a change. Apps built without it (some tests) get the environment's defaults.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

from aiohttp import web

from bot.background import background_task
from bot.keys import EFFECTIVE_SETTINGS, SESSIONMAKER, SETTINGS
from medverk.admin_settings import REFRESH_SECONDS, Effective, EffectiveCache, defaults

__all__ = ["effective", "setup"]


def effective(app: Mapping[Any, Any]) -> Effective:
    """The values in force (an app or a request's `config_dict`); never waits."""
    cache = app.get(EFFECTIVE_SETTINGS)
    if cache is None:
        return defaults(app[SETTINGS])
    return cache.latest


def setup(app: web.Application, interval: float = REFRESH_SECONDS) -> None:
    """Load the settings at start-up and keep them fresh (after the database is set up)."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        cache = EffectiveCache(app[SETTINGS], app[SESSIONMAKER], ttl=interval)
        await cache.refresh()
        app[EFFECTIVE_SETTINGS] = cache

        async def loop() -> None:
            while True:
                await asyncio.sleep(interval)
                await cache.refresh()  # logs and keeps the last values on failure

        async with background_task(loop(), "effective-settings"):
            yield

    app.cleanup_ctx.append(context)
