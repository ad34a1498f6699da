"""POST /api/chat/pending: the widget fetches officers' answers when it is opened.

The real gateway (`create_app`) on a real SQLite and PostgreSQL database; the
messages are queued the way the officer app queues them (`medverk.store.outbox_repo`
under the input's `sender_key`). Rasa is a stand-in that counts every request,
to show that this endpoint never reaches it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from medverk.identity import rasa_sender_id, sender_key
from medverk.settings import Settings, load_settings
from medverk.store import outbox_repo

SENDER = "a1b2c3d4e5f6a7b8"
OTHER = "other-visitor-0001"
SECRET = "chat-pending-test-secret"
ALLOWED_ORIGIN = "https://www.eksempelvik.example"


class RasaStandIn:
    """Records every request; answers a chat message with one text."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.any)
        self.server = TestServer(app, host="127.0.0.1")

    async def any(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        if request.path == "/webhooks/rest/webhook":
            body = await request.json()
            return web.json_response([{"recipient_id": body["sender"], "text": "Hei att!"}])
        return web.json_response({"slots": {}})


@pytest.fixture
async def rasa() -> AsyncIterator[RasaStandIn]:
    """A running Rasa stand-in."""
    standin = RasaStandIn()
    await standin.server.start_server()
    yield standin
    await standin.server.close()


@pytest.fixture
def settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rasa: RasaStandIn, database_url: str
) -> Settings:
    """Gateway settings on the migrated test database, with one allowed origin."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_SECRET_KEY", SECRET)
    return dataclasses.replace(
        load_settings(),
        database_url=database_url,
        rasa_url=str(rasa.server.make_url("")).rstrip("/"),
        allowed_origins=(ALLOWED_ORIGIN,),
    )


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> TestClient:
    """A client of the real gateway."""
    return await aiohttp_client(create_app(settings))


async def queue_answer(
    sessionmaker: async_sessionmaker[AsyncSession], raw_id: str, text: str
) -> None:
    """Queue a web message as the officer app does: under the input's sender key."""
    key = sender_key(SECRET, rasa_sender_id("web", raw_id, SECRET))
    async with sessionmaker.begin() as db:
        await outbox_repo.enqueue(
            db, sender_key=key, channel="web", kind=outbox_repo.KIND_ANSWER, text=text
        )


async def fetch_pending(client: TestClient, body: object, **kwargs: Any) -> tuple[int, Any, Any]:
    response = await client.post("/api/chat/pending", json=body, **kwargs)
    return response.status, await response.json(), response.headers


async def test_a_waiting_answer_is_returned_once_then_gone(
    client: TestClient, sessionmaker: async_sessionmaker[AsyncSession], rasa: RasaStandIn
) -> None:
    """Oldest first, in the chat API's message shape, marked delivered, never via Rasa."""
    await queue_answer(sessionmaker, SENDER, "Svar frå kommunen: takk!")
    await queue_answer(sessionmaker, SENDER, "Saka er avgjord.")
    status, body, headers = await fetch_pending(client, {"sender": SENDER})
    assert status == 200
    assert body == {
        "messages": [
            {"text": "Svar frå kommunen: takk!", "buttons": []},
            {"text": "Saka er avgjord.", "buttons": []},
        ]
    }
    assert headers["Cache-Control"] == "no-store"
    assert (await fetch_pending(client, {"sender": SENDER}))[1] == {"messages": []}
    async with sessionmaker() as db:
        key = sender_key(SECRET, rasa_sender_id("web", SENDER, SECRET))
        assert list(await outbox_repo.pending_for(db, key, "web")) == []
    assert rasa.requests == []


async def test_other_senders_messages_are_never_returned(
    client: TestClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Another visitor's answer stays waiting for them; an unknown sender looks the same."""
    await queue_answer(sessionmaker, OTHER, "Til den andre")
    status, body, _ = await fetch_pending(client, {"sender": SENDER})
    assert (status, body) == (200, {"messages": []})
    unknown = await fetch_pending(client, {"sender": "never-seen-before-1"})
    assert unknown[:2] == (200, {"messages": []})
    assert (await fetch_pending(client, {"sender": OTHER}))[1] == {
        "messages": [{"text": "Til den andre", "buttons": []}]
    }


async def test_a_message_shown_on_opening_is_not_repeated_in_the_next_reply(
    client: TestClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Opening the widget and writing share one outbox: each answer is shown once."""
    await queue_answer(sessionmaker, SENDER, "Svar frå kommunen")
    assert len((await fetch_pending(client, {"sender": SENDER}))[1]["messages"]) == 1
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "Hei"})
    assert (await response.json())["messages"] == [{"text": "Hei att!", "buttons": []}]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"sender": "short"},
        {"sender": "has space 123"},
        {"sender": "web:abcdefgh"},
        {"sender": 12345678},
        {"sender": "x" * 65},
    ],
)
async def test_an_invalid_sender_gets_400(
    client: TestClient, rasa: RasaStandIn, body: object
) -> None:
    """The same sender rule as /api/chat."""
    status, answer, _ = await fetch_pending(client, body)
    assert status == 400
    assert answer["error"]["code"] == "invalid_sender"
    assert rasa.requests == []


async def test_bad_bodies_are_refused_like_in_the_chat_api(client: TestClient) -> None:
    """Not JSON, not an object, or a form post: the chat API's errors."""
    response = await client.post(
        "/api/chat/pending", data=b"{", headers={"Content-Type": "application/json"}
    )
    assert (response.status, (await response.json())["error"]["code"]) == (400, "invalid_json")
    assert (await fetch_pending(client, [SENDER]))[1]["error"]["code"] == "invalid_body"
    response = await client.post("/api/chat/pending", data={"sender": SENDER})
    assert response.status == 415


async def test_each_sender_and_each_address_is_rate_limited(
    settings: Settings, aiohttp_client: Any
) -> None:
    """The chat API's limits: per sender (shared with /api/chat) and per IP address."""
    client = await aiohttp_client(
        create_app(dataclasses.replace(settings, chat_limit_per_sender=3, chat_limit_per_ip=7))
    )
    assert (await client.post("/api/chat", json={"sender": SENDER, "message": "Hei"})).status == 200
    statuses = [(await fetch_pending(client, {"sender": SENDER}))[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    status, body, headers = await fetch_pending(client, {"sender": SENDER})
    assert status == 429 and body["error"]["code"] == "rate_limited"
    assert int(headers["Retry-After"]) >= 1
    # Every request counts for the address, refused ones too: 5 of its 7 are used.
    others = [(await fetch_pending(client, {"sender": f"visitor-{n:04d}"}))[0] for n in range(3)]
    assert others == [200, 200, 429]


async def test_cors_like_the_chat_api(client: TestClient) -> None:
    """An allowed site gets CORS headers and a preflight; any other site gets 403."""
    status, _, headers = await fetch_pending(
        client, {"sender": SENDER}, headers={"Origin": ALLOWED_ORIGIN}
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    preflight = await client.options(
        "/api/chat/pending",
        headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    for method in ("POST", "OPTIONS"):
        refused = await client.request(
            method,
            "/api/chat/pending",
            json={"sender": SENDER},
            headers={"Origin": "https://evil.example"},
        )
        assert refused.status == 403
        assert "Access-Control-Allow-Origin" not in refused.headers


async def test_a_database_failure_keeps_the_messages_waiting(
    client: TestClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Failing while marking them delivered: an empty 200 now, the answer on the next try."""
    await queue_answer(sessionmaker, SENDER, "Svar frå kommunen")

    async def broken(*_args: object, **_kwargs: object) -> int:
        raise OperationalError("UPDATE outbound_messages", {}, Exception("server closed"))

    with monkeypatch.context() as patch:
        patch.setattr(outbox_repo, "mark_delivered", broken)
        assert (await fetch_pending(client, {"sender": SENDER}))[:2] == (200, {"messages": []})
    assert (await fetch_pending(client, {"sender": SENDER}))[1] == {
        "messages": [{"text": "Svar frå kommunen", "buttons": []}]
    }


async def test_a_database_that_is_down_gives_an_empty_answer(
    settings: Settings, aiohttp_client: Any, rasa: RasaStandIn
) -> None:
    """A PostgreSQL server that refuses connections is not a 500: the widget stays quiet."""
    down = dataclasses.replace(
        settings, database_url="postgresql+asyncpg://medverk@127.0.0.1:1/medverk"
    )
    client = await aiohttp_client(create_app(down))
    assert (await fetch_pending(client, {"sender": SENDER}))[:2] == (200, {"messages": []})
    # The chat itself goes on too: the reply comes without the waiting messages.
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "Hei"})
    assert response.status == 200
