"""A resend with the same message id gets the same reply and is never a second turn.

Rasa is a stand-in that counts turns and can be slow; the store is migrated SQLite.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

import bot.replay
from bot.app import create_app
from bot.replay import forget_kept_replies
from medverk.settings import Settings, load_settings
from medverk.store.migrate import upgrade_head

SENDER = "replay-0001-abcdef"
MID = "msg-0001-abcdef"


class Rasa:
    """Answers "svar N" to the N-th turn, after `delay` seconds; can fail with 500."""

    def __init__(self) -> None:
        self.turns = 0
        self.delay = 0.0
        self.fail = False
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        app.router.add_get("/health", self.health)
        self.server = TestServer(app, host="127.0.0.1")

    async def webhook(self, _request: web.Request) -> web.Response:
        if self.fail:
            return web.json_response({}, status=500)
        self.turns += 1
        turn = self.turns
        await asyncio.sleep(self.delay)
        return web.json_response([{"text": f"svar {turn}"}])

    async def tracker(self, _request: web.Request) -> web.Response:
        return web.json_response({"slots": {"malform": "nb"}})

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})


@pytest.fixture
async def rasa() -> AsyncIterator[Rasa]:
    stand_in = Rasa()
    await stand_in.server.start_server()
    yield stand_in
    await stand_in.server.close()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rasa: Rasa) -> Settings:
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    upgrade_head(url)
    base = str(rasa.server.make_url("")).rstrip("/")
    return dataclasses.replace(
        load_settings(), database_url=url, rasa_url=base, action_server_url=base
    )


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> TestClient:
    return await aiohttp_client(create_app(settings))


async def _say(client: TestClient, message_id: str | None = MID) -> tuple[int, Any]:
    body: dict[str, str] = {"sender": SENDER, "message": "hei"}
    if message_id is not None:
        body["message_id"] = message_id
    response = await client.post("/api/chat", json=body)
    return response.status, await response.json()


async def test_the_same_message_id_is_one_turn_with_the_same_reply(
    client: TestClient, rasa: Rasa
) -> None:
    first = await _say(client)
    again = await _say(client)
    assert (
        first == again == (200, {"messages": [{"text": "svar 1", "buttons": []}], "malform": "nb"})
    )
    assert rasa.turns == 1
    assert (await _say(client, "msg-0002-abcdef"))[1]["messages"][0]["text"] == "svar 2"


async def test_without_a_message_id_every_message_is_a_turn(client: TestClient, rasa: Rasa) -> None:
    """The contract {"sender", "message"} works as before."""
    await _say(client, None)
    assert (await _say(client, None))[1]["messages"][0]["text"] == "svar 2"


async def test_the_reply_is_kept_over_a_gateway_restart(
    client: TestClient, rasa: Rasa, settings: Settings, aiohttp_client: Any
) -> None:
    await _say(client)
    restarted = await aiohttp_client(create_app(settings))
    status, body = await _say(restarted)
    assert (status, body["messages"][0]["text"]) == (200, "svar 1")
    assert rasa.turns == 1


async def test_a_resend_while_the_turn_still_runs_waits_for_it(
    client: TestClient, rasa: Rasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa slower than the person waits: 503, then the resend gets that turn's reply."""
    monkeypatch.setattr(bot.replay, "ANSWER_SECONDS", 0.3)
    rasa.delay = 0.5
    status, body = await _say(client)
    assert status == 503 and body["error"]["code"] == "assistant_unavailable"
    status, body = await _say(client)
    assert (status, body["messages"][0]["text"]) == (200, "svar 1")
    assert rasa.turns == 1


async def test_a_failed_turn_keeps_nothing(client: TestClient, rasa: Rasa) -> None:
    rasa.fail = True
    assert (await _say(client))[0] == 503
    rasa.fail = False
    assert (await _say(client))[1]["messages"][0]["text"] == "svar 1"


@pytest.mark.parametrize("bad", ["short", "x" * 65, "mellom rom 123", 12345678, ["abcdefgh"]])
async def test_a_bad_message_id_is_refused(client: TestClient, rasa: Rasa, bad: object) -> None:
    response = await client.post(
        "/api/chat", json={"sender": SENDER, "message": "hei", "message_id": bad}
    )
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_message_id"
    assert rasa.turns == 0


async def test_an_erased_conversation_keeps_no_reply(client: TestClient, rasa: Rasa) -> None:
    """After "slett meg" the kept replies go too; the same id is then a new turn."""
    await _say(client)
    await forget_kept_replies(client.app, SENDER)
    assert (await _say(client))[1]["messages"][0]["text"] == "svar 2"
