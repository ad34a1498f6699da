"""The webhook endpoint Telegram posts updates to (webhook mode only).

Telegram sends the secret given to setWebhook in the header
`X-Telegram-Bot-Api-Secret-Token`; anything without it is refused with 403.
"""

from __future__ import annotations

import hmac
import json

from aiohttp import web
from telegram import Update

from bot.telegram.runtime import TelegramRuntime

__all__ = ["SECRET_HEADER", "WEBHOOK_PATH", "webhook_view"]

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret


def webhook_view(runtime: TelegramRuntime):  # type: ignore[no-untyped-def]
    """The aiohttp handler for `WEBHOOK_PATH`, bound to `runtime`."""
    expected = runtime.settings.telegram_webhook_secret.encode()

    async def webhook(request: web.Request) -> web.Response:
        """Check the secret, then queue the update for the bot."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            raise web.HTTPForbidden()
        application = runtime.application
        if application is None:
            # Still starting: Telegram retries later, nothing is lost.
            raise web.HTTPServiceUnavailable()
        try:
            data = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            raise web.HTTPBadRequest() from None
        if not isinstance(data, dict):
            raise web.HTTPBadRequest()
        try:
            update = Update.de_json(data, application.bot)
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            RecursionError,
            OverflowError,
            OSError,
        ):
            # Any shape Telegram never sends (a forged or broken update) is refused; a date
            # far outside any calendar (found by schemathesis) raises OverflowError or OSError.
            raise web.HTTPBadRequest() from None
        await application.update_queue.put(update)
        return web.Response()

    return webhook
