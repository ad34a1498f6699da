"""POST /api/chat: validation, rate limits, CORS and the turn through Rasa.

The gateway under test is the real one (`create_app`); Rasa is a small
stand-in HTTP server speaking Rasa's REST webhook and tracker API, so these
tests need no trained model. The browser tests use the real Rasa.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.chat_api import MAX_MESSAGE_CHARS
from medverk.settings import Settings, load_settings
from medverk.store.migrate import upgrade_head

SENDER = "a1b2c3d4e5f6a7b8"
ALLOWED_ORIGIN = "https://www.eksempelvik.example"


class RasaStandIn:
    """Answers like Rasa's REST channel: echoes the text with one button."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.malform: dict[str, str] = {}
        self.failing = False
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        self.server = TestServer(app, host="127.0.0.1")

    async def webhook(self, request: web.Request) -> web.Response:
        if self.failing:
            return web.json_response({"error": "model not ready"}, status=500)
        body = await request.json()
        self.received.append(body)
        return web.json_response(
            [
                {"recipient_id": body["sender"], "text": f"Du skreiv: {body['message']}"},
                {
                    "recipient_id": body["sender"],
                    "text": "Vil du seie meininga di?",
                    "buttons": [{"title": "Ja", "payload": "/affirm"}],
                },
            ]
        )

    async def tracker(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        return web.json_response(
            {"sender_id": sender, "slots": {"malform": self.malform.get(sender)}}
        )


@pytest.fixture
async def rasa() -> AsyncIterator[RasaStandIn]:
    """A running Rasa stand-in."""
    standin = RasaStandIn()
    await standin.server.start_server()
    yield standin
    await standin.server.close()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rasa: RasaStandIn) -> Settings:
    """Gateway settings: migrated SQLite, the Rasa stand-in, one allowed origin."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_SECRET_KEY", "chat-api-test-secret")
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    upgrade_head(url)
    return dataclasses.replace(
        load_settings(),
        database_url=url,
        rasa_url=str(rasa.server.make_url("")).rstrip("/"),
        allowed_origins=(ALLOWED_ORIGIN,),
        default_malform="nn",
    )


async def client_for(settings: Settings, aiohttp_client: Any) -> TestClient:
    return await aiohttp_client(create_app(settings))


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> TestClient:
    """A client of the real gateway."""
    return await client_for(settings, aiohttp_client)


async def post(client: TestClient, body: object, **kwargs: Any) -> tuple[int, Any, Any]:
    response = await client.post("/api/chat", json=body, **kwargs)
    return response.status, await response.json(), response.headers


async def test_a_message_gets_rasas_replies_and_the_conversations_malform(
    client: TestClient, rasa: RasaStandIn
) -> None:
    """Text and buttons come back in the contract's shape, with the målform slot."""
    rasa.malform[f"web:{SENDER}"] = "nb"
    status, body, headers = await post(client, {"sender": SENDER, "message": "Hei"})
    assert status == 200
    assert body == {
        "messages": [
            {"text": "Du skreiv: Hei", "buttons": []},
            {
                "text": "Vil du seie meininga di?",
                "buttons": [{"title": "Ja", "payload": "/affirm"}],
            },
        ],
        "malform": "nb",
    }
    assert rasa.received == [{"sender": f"web:{SENDER}", "message": "Hei"}]
    assert headers["Cache-Control"] == "no-store"


async def test_malform_is_left_out_when_the_conversation_has_none(client: TestClient) -> None:
    """A conversation whose målform is not known yet gets no `malform` key."""
    status, body, _ = await post(client, {"sender": SENDER, "message": "Hei"})
    assert status == 200
    assert "malform" not in body


async def test_text_is_normalised_and_control_characters_removed(
    client: TestClient, rasa: RasaStandIn
) -> None:
    """NUL and other control characters never reach Rasa or the store; å is composed."""
    decomposed = unicodedata.normalize("NFD", "på")
    status, _, _ = await post(
        client, {"sender": SENDER, "message": f"  Hei\x00 {decomposed}\x07\n "}
    )
    assert status == 200
    assert rasa.received[-1]["message"] == "Hei på"


async def test_html_is_passed_on_as_plain_text(client: TestClient, rasa: RasaStandIn) -> None:
    """Markup is text to the assistant; the widget never renders it as HTML."""
    status, body, headers = await post(
        client, {"sender": SENDER, "message": "<script>x()</script>"}
    )
    assert status == 200
    assert rasa.received[-1]["message"] == "<script>x()</script>"
    assert headers["Content-Type"].startswith("application/json")
    assert body["messages"][0]["text"] == "Du skreiv: <script>x()</script>"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ([1, 2], "invalid_body"),
        ({"message": "Hei"}, "invalid_sender"),
        ({"sender": "short", "message": "Hei"}, "invalid_sender"),
        ({"sender": "x" * 65, "message": "Hei"}, "invalid_sender"),
        ({"sender": "has space 123", "message": "Hei"}, "invalid_sender"),
        ({"sender": "web:abcdefgh", "message": "Hei"}, "invalid_sender"),
        ({"sender": 12345678, "message": "Hei"}, "invalid_sender"),
        ({"sender": SENDER}, "invalid_message"),
        ({"sender": SENDER, "message": ["Hei"]}, "invalid_message"),
        ({"sender": SENDER, "message": ""}, "empty_message"),
        ({"sender": SENDER, "message": " \n\t\x00 "}, "empty_message"),
    ],
)
async def test_bad_requests_get_a_clear_400(
    client: TestClient, rasa: RasaStandIn, body: object, code: str
) -> None:
    """Each kind of bad body names its problem, and nothing reaches Rasa."""
    status, answer, _ = await post(client, body)
    assert status == 400
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]
    assert rasa.received == []


async def test_invalid_json_gets_a_clear_400(client: TestClient) -> None:
    """A body that is not JSON is refused as such."""
    response = await client.post(
        "/api/chat", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_json"


async def test_other_content_types_get_415(client: TestClient) -> None:
    """Form posts are refused: only JSON (which needs a CORS preflight) is accepted."""
    response = await client.post("/api/chat", data={"sender": SENDER, "message": "Hei"})
    assert response.status == 415
    assert (await response.json())["error"]["code"] == "unsupported_media_type"


async def test_too_long_messages_get_413_with_the_limit(client: TestClient) -> None:
    """A message over the limit is refused and the limit is given."""
    status, body, _ = await post(
        client, {"sender": SENDER, "message": "å" * (MAX_MESSAGE_CHARS + 1)}
    )
    assert status == 413
    assert body["error"] == {
        "code": "message_too_long",
        "message": f"message is longer than {MAX_MESSAGE_CHARS} characters.",
        "max_chars": MAX_MESSAGE_CHARS,
    }


async def test_a_message_at_the_limit_is_accepted(client: TestClient) -> None:
    """The limit itself is allowed, even in emoji (4 bytes each, escaped in JSON)."""
    status, _, _ = await post(client, {"sender": SENDER, "message": "🙂" * MAX_MESSAGE_CHARS})
    assert status == 200


async def test_oversized_bodies_get_413(client: TestClient) -> None:
    """A huge body is refused before it is parsed."""
    response = await client.post(
        "/api/chat",
        data=json.dumps({"sender": SENDER, "message": "x" * 200_000}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "message_too_long"


async def test_each_conversation_is_rate_limited(settings: Settings, aiohttp_client: Any) -> None:
    """After its limit a sender gets 429 with Retry-After; another sender is not affected."""
    client = await client_for(
        dataclasses.replace(settings, chat_limit_per_sender=3), aiohttp_client
    )
    for _ in range(3):
        assert (await post(client, {"sender": SENDER, "message": "Hei"}))[0] == 200
    status, body, headers = await post(client, {"sender": SENDER, "message": "Hei"})
    assert status == 429
    assert body["error"]["code"] == "rate_limited"
    assert int(headers["Retry-After"]) >= 1
    assert body["error"]["retry_after"] == int(headers["Retry-After"])
    assert (await post(client, {"sender": "another-sender-1", "message": "Hei"}))[0] == 200


async def test_each_ip_address_is_rate_limited(settings: Settings, aiohttp_client: Any) -> None:
    """Many new conversations from one address are limited too."""
    client = await client_for(dataclasses.replace(settings, chat_limit_per_ip=4), aiohttp_client)
    statuses = [
        (await post(client, {"sender": f"sender-number-{n}", "message": "Hei"}))[0]
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]


async def test_rasa_down_gives_503_with_a_kind_text(client: TestClient, rasa: RasaStandIn) -> None:
    """When Rasa fails the widget gets a retryable 503 and a text in the default målform."""
    rasa.failing = True
    status, body, headers = await post(client, {"sender": SENDER, "message": "Hei"})
    assert status == 503
    assert body["error"]["code"] == "assistant_unavailable"
    assert headers["Retry-After"] == "5"
    assert "ikkje" in body["messages"][0]["text"]


async def test_allowed_origin_gets_cors_headers(client: TestClient) -> None:
    """A configured municipality site may call the API from its pages."""
    status, _, headers = await post(
        client, {"sender": SENDER, "message": "Hei"}, headers={"Origin": ALLOWED_ORIGIN}
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "Origin" in headers["Vary"]


async def test_preflight_from_an_allowed_origin(client: TestClient) -> None:
    """The browser's preflight is answered with the allowed method and header."""
    response = await client.options(
        "/api/chat",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"


async def test_other_origins_are_refused(client: TestClient, rasa: RasaStandIn) -> None:
    """A site that is not configured gets 403 and no CORS headers; nothing reaches Rasa."""
    for method in ("POST", "OPTIONS"):
        response = await client.request(
            method,
            "/api/chat",
            json={"sender": SENDER, "message": "Hei"},
            headers={"Origin": "https://evil.example"},
        )
        assert response.status == 403
        assert (await response.json())["error"]["code"] == "origin_not_allowed"
        assert "Access-Control-Allow-Origin" not in response.headers
    assert rasa.received == []


async def test_the_gateways_own_pages_need_no_cors(client: TestClient) -> None:
    """The demo page on the gateway itself is same-origin."""
    own = str(client.make_url("")).rstrip("/")
    status, _, headers = await post(
        client, {"sender": SENDER, "message": "Hei"}, headers={"Origin": own}
    )
    assert status == 200
    assert "Access-Control-Allow-Origin" not in headers


async def test_behind_a_proxy_the_forwarded_address_is_limited(
    settings: Settings, aiohttp_client: Any
) -> None:
    """With one trusted proxy, each visitor's own address counts, not the proxy's."""
    behind_proxy = dataclasses.replace(settings, chat_limit_per_ip=2, trusted_proxy_hops=1)
    client = await client_for(behind_proxy, aiohttp_client)

    async def from_address(address: str, sender: str) -> int:
        # A client may send its own X-Forwarded-For; the proxy appends the real address.
        headers = {"X-Forwarded-For": f"6.6.6.6, {address}"}
        status, _, _ = await post(client, {"sender": sender, "message": "Hei"}, headers=headers)
        return status

    assert [await from_address("10.0.0.1", f"first-visitor-{n}") for n in range(3)] == [
        200,
        200,
        429,
    ]
    assert await from_address("10.0.0.2", "second-visitor") == 200
