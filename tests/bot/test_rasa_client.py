"""The gateway's Rasa client sends the channel token and the sender header HAProxy hashes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
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
    turn_session,
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


class _HeldWebhook:
    """A Rasa stand-in whose webhook answers only when `open` is set; it counts what it sees."""

    def __init__(self) -> None:
        self.open = asyncio.Event()
        self.in_flight = 0
        self.most_in_flight = 0
        self.peers: set[object] = set()
        self.app = web.Application()
        self.app.router.add_post("/webhooks/rest/webhook", self.webhook)
        self.app.router.add_get("/conversations/{sender}/tracker", self.tracker)

    async def webhook(self, request: web.Request) -> web.Response:
        self.peers.add(request.transport.get_extra_info("peername") if request.transport else None)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.open.wait()
        finally:
            self.in_flight -= 1
        return web.json_response([{"text": (await request.json())["message"]}])

    async def tracker(self, _request: web.Request) -> web.Response:
        return web.json_response({"slots": {"malform": "nn"}})


@contextlib.asynccontextmanager
async def _client_with_turn_pool(
    rasa: _HeldWebhook, turns_in_flight: int
) -> AsyncIterator[RasaClient]:
    """A client of `rasa` whose turns go over a `turn_session(turns_in_flight)`."""
    async with (
        TestServer(rasa.app) as server,
        aiohttp.ClientSession() as session,
        turn_session(turns_in_flight) as turns,
    ):
        yield RasaClient(session, str(server.make_url("")), turns=turns)


async def test_turns_wait_for_a_bounded_pool_of_kept_connections() -> None:
    rasa = _HeldWebhook()
    async with _client_with_turn_pool(rasa, 3) as client:
        first = [asyncio.create_task(client.send(f"web:{n:08d}", f"m{n}")) for n in range(10)]
        while rasa.in_flight < 3:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        assert rasa.in_flight == 3  # the other seven wait in the gateway, not in Rasa
        rasa.open.set()
        answers = await asyncio.gather(*first)
        # Every turn answered, each with its own answer.
        assert [a[0]["text"] for a in answers] == [f"m{n}" for n in range(10)]
        # A second burst goes out on the same three connections: none is opened anew.
        await asyncio.gather(*(client.send(f"web:{n:08d}", "igjen") for n in range(10)))
    assert rasa.most_in_flight == 3
    assert len(rasa.peers) == 3


async def test_a_tracker_lookup_does_not_wait_behind_a_queue_of_turns() -> None:
    rasa = _HeldWebhook()
    async with _client_with_turn_pool(rasa, 2) as client:
        held = [asyncio.create_task(client.send(f"web:{n:08d}", "hei")) for n in range(5)]
        while rasa.in_flight < 2:
            await asyncio.sleep(0.01)
        assert await asyncio.wait_for(client.slot("web:00000000", "malform"), 2) == "nn"
        rasa.open.set()
        await asyncio.gather(*held)


async def test_the_wait_for_a_connection_counts_in_the_turn_timeout() -> None:
    rasa = _HeldWebhook()
    async with _client_with_turn_pool(rasa, 1) as client:
        held = asyncio.create_task(client.send("web:00000001", "hei"))
        while rasa.in_flight < 1:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        with pytest.raises(RasaUnavailable):
            await client.send("web:00000002", "hei", timeout=0.3)
        assert time.monotonic() - started < 2
        rasa.open.set()
        assert await held == [{"text": "hei"}]


def test_a_turn_pool_needs_room_for_one_turn() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        turn_session(0)
