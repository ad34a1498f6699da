"""The gateway's app factory, used by `main` and by the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot import (
    availability,
    case_sync,
    chat_api,
    digest_job,
    effective,
    health,
    metrics,
    officer,
    retention_job,
    security,
    telegram,
    widget,
)
from bot.keys import ENGINE, HTTP_SESSION, RASA_CLIENT, SESSIONMAKER, SETTINGS
from bot.rasa_client import RasaClient, turn_session
from medverk.settings import Settings
from medverk.store.db import create_engine, create_sessionmaker

__all__ = ["create_app"]


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[SETTINGS].database_url)
    app[ENGINE] = engine
    app[SESSIONMAKER] = create_sessionmaker(engine)
    yield
    await engine.dispose()


async def _http_clients(app: web.Application) -> AsyncIterator[None]:
    session = aiohttp.ClientSession()
    app[HTTP_SESSION] = session
    settings = app[SETTINGS]
    turns = turn_session(settings.rasa_turns_in_flight)
    app[RASA_CLIENT] = RasaClient(
        session,
        settings.rasa_url,
        channel_token=settings.rasa_channel_token,
        api_token=settings.rasa_api_token,
        turns=turns,
    )
    yield
    await turns.close()
    await session.close()


def create_app(settings: Settings) -> web.Application:
    """Build the gateway: chat API, widget, Telegram, officer app, health."""
    app = web.Application(client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_database)
    effective.setup(app)
    app.cleanup_ctx.append(_http_clients)
    availability.setup(app)
    case_sync.setup(app)
    retention_job.setup(app)
    digest_job.setup(app)
    security.setup(app)
    health.setup(app)
    metrics.setup(app)
    chat_api.setup(app)
    widget.setup(app)
    officer.setup(app)
    telegram.setup(app)
    return app
