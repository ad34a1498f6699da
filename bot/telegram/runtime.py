"""Starts and stops the Telegram bot with the gateway (aiohttp `cleanup_ctx`).

Polling by default; webhook mode when `TELEGRAM_WEBHOOK_URL` is set, served
on the gateway's own server (see `webhook.py`). The bot starts in the
background, retrying while Telegram is unreachable, so the rest of the
gateway (web chat, officer app) never waits for Telegram.
Errors: `TelegramConfigError` (a `ValueError`) for settings that cannot work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.background import background_task
from bot.keys import SESSIONMAKER, SETTINGS
from bot.telegram.bridge import TelegramBridge
from bot.telegram.delivery import delivery_loop
from bot.telegram.handlers import TelegramHandlers
from bot.telegram.texts import TelegramTexts
from medverk.settings import Settings

__all__ = [
    "ALLOWED_UPDATES",
    "TelegramConfigError",
    "TelegramRuntime",
    "build_application",
    "make_rate_limiter",
    "telegram_context",
]

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# Command menus: nn and nb by app language; Telegram apps set to Norwegian report "no".
MENU_LANGUAGES = {"nn": "nn", "nb": "nb", "no": "nb"}
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_START_RETRY_MAX_SECONDS = 60.0


class TelegramConfigError(ValueError):
    """A Telegram setting that cannot work (e.g. a webhook secret Telegram refuses)."""


def make_rate_limiter() -> AIORateLimiter:
    """Telegram's flood limits (30/s overall, 20/min per group); 429s are waited out."""
    return AIORateLimiter(max_retries=3)


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """A PTB Application for our token and Bot API base URL."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(make_rate_limiter())
        # Many chats at once; each chat's own turns are kept in order by the bridge.
        .concurrent_updates(256)
    )
    if settings.telegram_webhook_url:
        builder = builder.updater(None)
    return builder.build()


class TelegramRuntime:
    """The running bot: PTB Application, handlers, outbox delivery."""

    def __init__(
        self, app: web.Application, texts: TelegramTexts, delivery_interval: float = 5.0
    ) -> None:
        settings: Settings = app[SETTINGS]
        if settings.telegram_webhook_url and not _SECRET_TOKEN.match(
            settings.telegram_webhook_secret
        ):
            raise TelegramConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        self.app = app
        self.settings = settings
        self.bridge = TelegramBridge(app, texts)
        self.delivery_interval = delivery_interval
        self.application: Application | None = None  # type: ignore[type-arg]
        self.ready = asyncio.Event()

    @property
    def webhook_mode(self) -> bool:
        """True when Telegram pushes updates to us instead of us polling."""
        return bool(self.settings.telegram_webhook_url)

    async def _register_commands(self, application: Application) -> None:  # type: ignore[type-arg]
        commands = self.bridge.texts.commands
        default = self.settings.default_malform
        await application.bot.set_my_commands(
            [BotCommand(c.command, c.descriptions[default]) for c in commands],
            scope=BotCommandScopeDefault(),
        )
        for language, malform in MENU_LANGUAGES.items():
            await application.bot.set_my_commands(
                [BotCommand(c.command, c.descriptions[malform]) for c in commands],
                language_code=language,
            )

    async def _start_once(self) -> None:
        application = build_application(self.settings)
        TelegramHandlers(self.bridge).register(application)
        try:
            await application.initialize()
            await self._register_commands(application)
            if self.webhook_mode:
                await application.bot.set_webhook(
                    self.settings.telegram_webhook_url,
                    secret_token=self.settings.telegram_webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            else:
                assert application.updater is not None
                await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            await application.start()
        except BaseException:
            with contextlib.suppress(Exception):
                if application.updater is not None and application.updater.running:
                    await application.updater.stop()
                await application.shutdown()
            raise
        self.application = application

    async def run(self) -> None:
        """Start the bot (retrying while Telegram is unreachable), then deliver queued
        messages until cancelled."""
        delay = 1.0
        while True:
            try:
                await self._start_once()
                break
            except InvalidToken:
                log.error("TELEGRAM_BOT_TOKEN was refused by the Bot API; Telegram stays off")
                return
            except (NetworkError, RetryAfter, TelegramError) as exc:
                log.warning("Telegram not reachable (%s); retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _START_RETRY_MAX_SECONDS)
        assert self.application is not None
        mode = "webhook" if self.webhook_mode else "polling"
        log.info("Telegram bot @%s running (%s)", self.application.bot.username, mode)
        bot = self.application.bot
        # Messages an earlier run held (the gateway restarted) are answered now.
        self.bridge.held.resume(bot)
        self.ready.set()
        await delivery_loop(bot, self.app[SESSIONMAKER], self.delivery_interval)

    async def stop(self) -> None:
        """Stop the bot (after `run` was cancelled); the webhook stays set so Telegram
        queues updates."""
        await self.bridge.held.close()
        application, self.application = self.application, None
        self.ready.clear()
        if application is None:
            return
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


def telegram_context(runtime: TelegramRuntime) -> Callable[[web.Application], AsyncIterator[None]]:
    """The `cleanup_ctx` entry that runs `runtime` with the aiohttp app."""

    async def context(_app: web.Application) -> AsyncIterator[None]:
        async with background_task(runtime.run(), "telegram"):
            yield
        await runtime.stop()

    return context
