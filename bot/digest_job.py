"""Sends the officers' digest e-mails that are due, every hour inside the gateway.

Off when MEDVERK_SMTP_HOST is unset. What is due and what goes out:
`medverk.officers.digest`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.background import background_task
from bot.keys import SESSIONMAKER, SETTINGS
from medverk.officers.digest import DigestResult, SmtpSettings, send_due_digests
from medverk.officers.texts import load_texts

__all__ = ["run_once", "setup"]

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 60 * 60
FIRST_RUN_DELAY_SECONDS = 120.0


async def run_once(app: web.Application, smtp: SmtpSettings) -> DigestResult:
    """Send the digests due now."""
    settings = app[SETTINGS]
    texts = load_texts(settings.knowledge_dir)
    async with app[SESSIONMAKER].begin() as session:
        return await send_due_digests(session, texts, smtp, public_url=settings.public_url)


async def _loop(app: web.Application, smtp: SmtpSettings, first: float, interval: float) -> None:
    await asyncio.sleep(first)
    while True:
        try:
            result = await run_once(app, smtp)
            if result.sent:
                log.info("digest: %d e-mails sent", result.sent)
        except Exception:
            log.exception("digest run failed")
        await asyncio.sleep(interval)


def setup(
    app: web.Application,
    smtp: SmtpSettings | None = None,
    first_delay: float = FIRST_RUN_DELAY_SECONDS,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """Schedule the hourly digest run when an SMTP server is configured."""
    server = smtp or SmtpSettings.from_env()
    if server is None:
        return

    async def digest_task(app: web.Application) -> AsyncIterator[None]:
        async with background_task(_loop(app, server, first_delay, interval), "digest"):
            yield

    app.cleanup_ctx.append(digest_task)
