"""An empty answer from Rasa: undone and a 503 when the action server is down, never shown empty.

Rasa and the action server are small stand-ins, so the gateway's own logic is
tested without a model; tests/resilience kills the real parts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from medverk.settings import Settings, load_settings
from medverk.store.migrate import upgrade_head

SENDER = "avail-0001-abcdef"


class Parts:
    """Rasa answering [] (its actions failed), and an action server that can be down."""

    def __init__(self) -> None:
        self.actions_up = False
        self.events: list[Any] = []
        self.in_form = False
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        app.router.add_post("/conversations/{sender}/tracker/events", self.append)
        app.router.add_get("/health", self.health)
        self.server = TestServer(app, host="127.0.0.1")

    async def webhook(self, _request: web.Request) -> web.Response:
        return web.json_response([])

    async def tracker(self, _request: web.Request) -> web.Response:
        events = [{"event": "user", "text": "x"}, {"event": "action", "name": "input_form"}]
        loop = {"name": "input_form"} if self.in_form else {}
        return web.json_response(
            {
                "slots": {"malform": "nb"},
                "active_loop": loop,
                "events": events if self.in_form else events[:1],
            }
        )

    async def append(self, request: web.Request) -> web.Response:
        self.events.append(await request.json())
        return web.json_response({})

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"}, status=200 if self.actions_up else 503)


@pytest.fixture
async def parts() -> AsyncIterator[Parts]:
    stand_in = Parts()
    await stand_in.server.start_server()
    yield stand_in
    await stand_in.server.close()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: Parts) -> Settings:
    """Migrated SQLite; Rasa and the action server are the stand-in."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    upgrade_head(url)
    base = str(parts.server.make_url("")).rstrip("/")
    return dataclasses.replace(
        load_settings(),
        database_url=url,
        rasa_url=base,
        action_server_url=base,
        default_malform="nn",
    )


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> TestClient:
    return await aiohttp_client(create_app(settings))


async def test_empty_answer_with_the_action_server_down_is_undone_and_503(
    client: TestClient, parts: Parts
) -> None:
    """Outside a form: a rewind and action_listen are appended; the person gets a kind 503."""
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "hei"})
    body = await response.json()
    assert response.status == 503 and body["error"]["code"] == "assistant_unavailable"
    assert body["messages"][0]["text"].startswith("Eg får ikkje svara akkurat no")
    assert parts.events == [[{"event": "rewind"}, {"event": "action", "name": "action_listen"}]]


async def test_inside_a_form_the_turn_is_not_rewound(client: TestClient, parts: Parts) -> None:
    """A form's failed run is left for Rasa to fold; the form asks again after the restart."""
    parts.in_form = True
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "hei"})
    assert response.status == 503
    assert parts.events == []


async def test_empty_answer_with_every_part_up_gets_the_gateways_own_text(
    client: TestClient, parts: Parts
) -> None:
    """Never an empty list: 'say it another way' in the default målform."""
    parts.actions_up = True
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "hei"})
    body = await response.json()
    assert response.status == 200
    assert body["messages"] == [
        {
            "text": "Eg fann ikkje noko godt svar på det. Kan du skrive det på ein annan måte?",
            "buttons": [],
        }
    ]
