"""Fixtures for the Telegram tests: the Bot API stand-in and a gateway using it."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from tg_bot_api_standin import BotApiStandIn

from bot.app import create_app
from bot.telegram import TELEGRAM
from bot.telegram import setup as telegram_setup
from medverk.settings import Settings, load_settings
from medverk.store.migrate import upgrade_head


@pytest.fixture
async def bot_api() -> AsyncIterator[BotApiStandIn]:
    """A running Bot API stand-in."""
    api = BotApiStandIn()
    api.base_url = await api.start()  # type: ignore[attr-defined]
    yield api
    await api.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database for a gateway under test."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    upgrade_head(url)
    return url


@pytest.fixture
def base_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str, bot_api: BotApiStandIn
) -> Settings:
    """Settings for a gateway whose bot talks to the stand-in (Rasa: nowhere yet)."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_SECRET_KEY", "telegram-test-secret-key")
    return dataclasses.replace(
        load_settings(),
        database_url=sqlite_url,
        rasa_url="http://127.0.0.1:9",  # discard port: nothing answers
        telegram_bot_token=bot_api.token,
        telegram_api_base_url=bot_api.base_url,  # type: ignore[attr-defined]
        telegram_webhook_url="",
        case_sync_interval_seconds=0,  # not under test here; keeps start and stop quick
    )


def gateway_app(settings: Settings) -> web.Application:
    """The real gateway, with the Telegram bridge set up exactly once."""
    app = create_app(settings)
    if TELEGRAM not in app:  # until create_app wires it itself
        telegram_setup(app)
    return app


@asynccontextmanager
async def running_gateway(
    settings: Settings, delivery_interval: float = 0.2
) -> AsyncIterator[tuple[TestServer, web.Application]]:
    """The gateway serving on a free port, its bot running against the stand-in."""
    app = gateway_app(settings)
    app[TELEGRAM].delivery_interval = delivery_interval
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        await asyncio.wait_for(app[TELEGRAM].ready.wait(), 20)
        yield server, app
    finally:
        await server.close()
