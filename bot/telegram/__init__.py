"""Telegram: young people chat with Medverk through python-telegram-bot.

`setup(app)` adds the bot to the gateway when `TELEGRAM_BOT_TOKEN` is set and
does nothing otherwise. Rasa owns the dialogue; this package only bridges.
"""

from __future__ import annotations

import os

# Opt in to python-telegram-bot's coming behaviour (time periods as timedelta),
# read at call time; without it every 429 from Telegram logs a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from aiohttp import web

from bot.keys import SETTINGS
from bot.telegram.runtime import TelegramRuntime, telegram_context
from bot.telegram.texts import FILE_NAME, load_texts
from bot.telegram.webhook import WEBHOOK_PATH, webhook_view
from medverk.texts.loader import text_file

__all__ = ["TELEGRAM", "setup"]

TELEGRAM = web.AppKey("telegram", TelegramRuntime)


def setup(app: web.Application) -> None:
    """Run the Telegram bot with the gateway, if a bot token is configured."""
    settings = app[SETTINGS]
    if not settings.telegram_bot_token:
        return
    runtime = TelegramRuntime(app, load_texts(text_file(FILE_NAME, settings.knowledge_dir)))
    app[TELEGRAM] = runtime
    if runtime.webhook_mode:
        app.router.add_post(WEBHOOK_PATH, webhook_view(runtime), name="telegram_webhook")
    app.cleanup_ctx.append(telegram_context(runtime))
