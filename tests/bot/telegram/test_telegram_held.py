"""Telegram messages sent while the assistant is away are answered, in order, when it is back.

They are held in the store, so a gateway restart in between loses none and answers none twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from conftest import running_gateway
from tg_bot_api_standin import BotApiStandIn

from bot.keys import SESSIONMAKER
from bot.telegram import TELEGRAM
from medverk.settings import Settings
from medverk.store.held_repo import hold_message, next_held, set_held_reply

HELD_NN = "Eg har litt trøbbel akkurat no. Eg har teke vare på meldinga di"


class FlakyRasa:
    """Answers HTTP 500 (like a Rasa that is restarting) while `down` is set."""

    def __init__(self) -> None:
        self.down = True
        self.answered: list[str] = []

    async def webhook(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": "restarting"}, status=500)
        body = await request.json()
        self.answered.append(body["message"])
        return web.json_response([{"text": f"svar på {body['message']}"}])


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[FlakyRasa, str]]:
    stand_in = FlakyRasa()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", stand_in.webhook)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield stand_in, str(server.make_url("")).rstrip("/")
    await server.close()


@pytest.fixture
def settings(base_settings: Settings, rasa: tuple[FlakyRasa, str]) -> Settings:
    return dataclasses.replace(base_settings, rasa_url=rasa[1])


async def _texts(bot_api: BotApiStandIn, chat_id: int, count: int) -> list[Any]:
    await bot_api.replies(chat_id, after=0, count=count, timeout=20)
    return bot_api.texts_to(chat_id)


async def test_messages_while_away_are_held_and_answered_in_order_when_back(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[FlakyRasa, str]
) -> None:
    """Two messages while Rasa is down: told once, then both answered in order."""
    stand_in, _ = rasa
    async with running_gateway(settings) as (_server, _app):
        await bot_api.send(901, "kva saker kjem opp?")
        [told] = await _texts(bot_api, 901, 1)
        assert told.startswith(HELD_NN)
        await bot_api.send(901, "og ungdomsrådet?")
        await asyncio.sleep(1)
        assert bot_api.texts_to(901) == [told]  # told once, not per message
        stand_in.down = False
        texts = await _texts(bot_api, 901, 3)
    assert texts[1:] == ["svar på kva saker kjem opp?", "svar på og ungdomsrådet?"]
    assert stand_in.answered == ["kva saker kjem opp?", "og ungdomsrådet?"]


async def test_a_chat_over_the_hold_limit_is_told_to_send_again(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[FlakyRasa, str]
) -> None:
    """Past 20 held messages a chat is clearly told that this one was not kept."""
    async with running_gateway(settings) as (_server, app):
        bridge = app[TELEGRAM].bridge
        bridge.guard = type(bridge.guard)(burst=100, per_second=100)
        for index in range(21):
            await bot_api.send(902, f"melding {index}")
        texts = await _texts(bot_api, 902, 2)
    assert texts[0].startswith(HELD_NN)
    assert texts[1].startswith("Eg får ikkje svara akkurat no. Send meldinga di på nytt")


async def test_held_messages_survive_a_gateway_restart_and_are_answered_once(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[FlakyRasa, str]
) -> None:
    """Held in the store: the restarted gateway answers them in order, and never again."""
    stand_in, _ = rasa
    async with running_gateway(settings) as (_server, app):
        await bot_api.send(903, "fyrste")
        [told] = await _texts(bot_api, 903, 1)
        assert told.startswith(HELD_NN)
        await bot_api.send(903, "andre")
        for _ in range(100):
            if await app[TELEGRAM].bridge.held.count(903) == 2:
                break
            await asyncio.sleep(0.1)
        assert await app[TELEGRAM].bridge.held.count(903) == 2
    stand_in.down = False
    async with running_gateway(settings) as (_server, app):
        texts = await _texts(bot_api, 903, 3)
        for _ in range(50):
            if await app[TELEGRAM].bridge.held.count() == 0:
                break
            await asyncio.sleep(0.1)
        assert await app[TELEGRAM].bridge.held.count() == 0
    async with running_gateway(settings):
        await asyncio.sleep(3)  # past the first retry round
    assert texts[1:] == ["svar på fyrste", "svar på andre"]
    assert bot_api.texts_to(903) == texts
    assert stand_in.answered == ["fyrste", "andre"]


async def test_an_answer_noted_before_a_stop_is_sent_after_the_restart_without_a_new_turn(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[FlakyRasa, str]
) -> None:
    """The gateway stopped between the assistant's answer and sending it: sent, Rasa not asked."""
    stand_in, _ = rasa
    stand_in.down = False
    async with running_gateway(settings) as (_server, app):
        async with app[SESSIONMAKER].begin() as session:
            await hold_message(session, 904, "alt svara", per_chat=20)
            row = await next_held(session, 904)
            assert row is not None
            await set_held_reply(session, row.id, '[{"text": "svaret", "buttons": []}]')
        app[TELEGRAM].bridge.held.resume(app[TELEGRAM].application.bot)
        texts = await _texts(bot_api, 904, 1)
    assert texts == ["svaret"]
    assert stand_in.answered == []
