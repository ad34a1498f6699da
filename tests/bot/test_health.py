"""GET /healthz reports each part."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from medverk.runner import free_port
from medverk.settings import load_settings


async def _fake_part(path: str) -> tuple[web.AppRunner, int]:
    app = web.Application()

    async def ok(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get(path, ok)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def test_health_is_degraded_when_rasa_and_actions_are_down(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> None:
    """Nothing listens for Rasa or the action server: 503 and each part named."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_CASE_SYNC_INTERVAL", "0")
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_RASA_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MEDVERK_ACTION_SERVER_URL", f"http://127.0.0.1:{free_port()}")
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        response = await client.get("/healthz")
        body = await response.json()
    assert response.status == 503
    assert body["status"] == "degraded"
    assert body["parts"]["rasa"]["status"] == "down"
    assert body["parts"]["action_server"]["status"] == "down"
    assert body["parts"]["database"]["status"] == "ok"


async def test_health_is_ok_when_every_part_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rasa, action server and database all answer: 200 ok."""
    rasa, rasa_port = await _fake_part("/")
    actions, action_port = await _fake_part("/health")
    try:
        monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
        monkeypatch.setenv("MEDVERK_CASE_SYNC_INTERVAL", "0")
        monkeypatch.setenv("MEDVERK_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
        monkeypatch.setenv("MEDVERK_RASA_URL", f"http://127.0.0.1:{rasa_port}")
        monkeypatch.setenv("MEDVERK_ACTION_SERVER_URL", f"http://127.0.0.1:{action_port}")
        async with TestClient(TestServer(create_app(load_settings()))) as client:
            response = await client.get("/healthz")
            body = await response.json()
        assert response.status == 200, body
        assert {part["status"] for part in body["parts"].values()} == {"ok"}
    finally:
        await rasa.cleanup()
        await actions.cleanup()
