"""The gateway's Rasa client sends the channel token and the sender header HAProxy hashes."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.rasa_client import (
    MALFORM_HEADER,
    SENDER_HEADER,
    TURN_MALFORM,
    RasaClient,
    RasaUnavailable,
)
from medverk.internal_auth import CHANNEL_TOKEN_HEADER


async def test_send_carries_the_token_and_the_sender_header() -> None:
    seen: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        seen.append({"headers": dict(request.headers), "body": await request.json()})
        return web.json_response([{"recipient_id": "web:abc", "text": "hei"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        client = RasaClient(session, str(server.make_url("")), channel_token="t0ken")
        assert await client.send("web:abcdefgh", "hei") == [
            {"recipient_id": "web:abc", "text": "hei"}
        ]
    (request,) = seen
    assert request["headers"][CHANNEL_TOKEN_HEADER] == "t0ken"
    # medverk/cluster.py: HAProxy keeps one conversation on one engine by this header.
    assert request["headers"][SENDER_HEADER] == "web:abcdefgh"
    assert request["body"] == {"sender": "web:abcdefgh", "message": "hei"}


async def test_send_reads_the_malform_the_turn_saved() -> None:
    answers = [{"nn"}, {"nb"}, {""}, {"xx"}, set()]

    async def webhook(_request: web.Request) -> web.Response:
        header = answers.pop(0)
        headers = {MALFORM_HEADER: header.pop()} if header else {}
        return web.json_response([{"text": "hei"}], headers=headers)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    seen = []
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        client = RasaClient(session, str(server.make_url("")), channel_token="t0ken")
        for _turn in range(5):
            await client.send("web:abcdefgh", "hei")
            seen.append(TURN_MALFORM.get())
    # "": the slot is not set; None: no (valid) header, so the gateway asks the tracker.
    assert seen == ["nn", "nb", "", None, None]


async def test_the_api_calls_carry_the_api_token_and_quote_the_sender() -> None:
    seen: list[tuple[str, str, dict[str, str], Any]] = []

    async def tracker(request: web.Request) -> web.Response:
        seen.append((request.method, request.raw_path, dict(request.query), None))
        return web.json_response({"slots": {"malform": "nb"}})

    async def events(request: web.Request) -> web.Response:
        seen.append((request.method, request.raw_path, dict(request.query), await request.json()))
        return web.json_response({})

    async def parse(request: web.Request) -> web.Response:
        seen.append((request.method, request.path, dict(request.query), await request.json()))
        return web.json_response({"intent": {"name": "greet"}})

    app = web.Application()
    app.router.add_get("/conversations/{sender}/tracker", tracker)
    app.router.add_post("/conversations/{sender}/tracker/events", events)
    app.router.add_post("/model/parse", parse)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        client = RasaClient(session, str(server.make_url("")), api_token="api-t0ken")
        assert await client.slot("web:ab/cd", "malform") == "nb"
        await client.append_events("web:ab/cd", [{"event": "rewind"}])
        assert await client.parse("hei") == {"intent": {"name": "greet"}}
    get, post, parsed = seen
    assert get[:3] == (
        "GET",
        "/conversations/web:ab%2Fcd/tracker?include_events=NONE&token=api-t0ken",
        {"include_events": "NONE", "token": "api-t0ken"},
    )
    assert post[0] == "POST" and post[2]["token"] == "api-t0ken"
    assert post[3] == [{"event": "rewind"}]
    assert parsed == ("POST", "/model/parse", {"token": "api-t0ken"}, {"text": "hei"})


async def test_api_errors_are_rasa_unavailable_and_error_statuses_none() -> None:
    async def failing(request: web.Request) -> web.Response:
        return web.Response(status=500)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", failing)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        client = RasaClient(session, str(server.make_url("")))
        assert await client.tracker("web:abcdefgh") is None
        assert await client.parse("hei") is None
        with pytest.raises(RasaUnavailable, match="Rasa answered 500"):
            await client.append_events("web:abcdefgh", [])
    async with aiohttp.ClientSession() as session:
        gone = RasaClient(session, "http://127.0.0.1:9")
        with pytest.raises(RasaUnavailable):
            await gone.tracker("web:abcdefgh")
