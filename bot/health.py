"""GET /healthz: the state of each part (Rasa, action server, database)."""

from __future__ import annotations

import asyncio
import time

import aiohttp
from aiohttp import web

from bot.keys import HTTP_SESSION, RASA_CLIENT, SESSIONMAKER, SETTINGS
from medverk.store.db import ping

__all__ = ["setup"]

_TIMEOUT = aiohttp.ClientTimeout(total=3)


async def _check_rasa(app: web.Application) -> dict[str, object]:
    ok = await app[RASA_CLIENT].is_ready()
    return {"status": "ok" if ok else "down", "url": app[SETTINGS].rasa_url}


async def _check_action_server(app: web.Application) -> dict[str, object]:
    url = app[SETTINGS].action_server_url
    try:
        async with app[HTTP_SESSION].get(f"{url}/health", timeout=_TIMEOUT) as response:
            ok = response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        ok = False
    return {"status": "ok" if ok else "down", "url": url}


async def _check_database(app: web.Application) -> dict[str, object]:
    try:
        async with app[SESSIONMAKER]() as session:
            await asyncio.wait_for(ping(session), timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok"}


async def healthz(request: web.Request) -> web.Response:
    """Each part's status; 200 when all are ok, 503 otherwise."""
    started = time.perf_counter()
    app = request.app
    rasa, actions, database = await asyncio.gather(
        _check_rasa(app), _check_action_server(app), _check_database(app)
    )
    parts = {"rasa": rasa, "action_server": actions, "database": database}
    healthy = all(part["status"] == "ok" for part in parts.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "parts": parts,
        "checked_in_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return web.json_response(body, status=200 if healthy else 503)


def setup(app: web.Application) -> None:
    """Register the health route."""
    app.router.add_get("/healthz", healthz, name="healthz")
