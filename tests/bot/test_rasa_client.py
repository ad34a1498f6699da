"""The gateway's Rasa client sends the channel token and the sender header HAProxy hashes."""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.rasa_client import MALFORM_HEADER, SENDER_HEADER, TURN_MALFORM, RasaClient
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
