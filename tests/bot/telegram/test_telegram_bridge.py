"""What the bridge sends to the assistant and how replies reach Telegram.

Uses a small recording stand-in for Rasa's REST channel, so each test knows
exactly what the assistant received and answered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from conftest import running_gateway
from tg_bot_api_standin import BotApiStandIn

from bot.telegram import TELEGRAM
from medverk.settings import Settings

LONG_PAYLOAD = (
    '/inform_case{"case_ref": "2026/210", "topic": "trafikktryggleik ved Nordsida skule"}'
)


class RasaStandIn:
    """Records every message and answers with what the test put in `answers`."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: dict[str, list[dict[str, Any]]] = {}

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        default = [{"recipient_id": body["sender"], "text": f"svar på {body['message']}"}]
        return web.json_response(self.answers.get(body["message"], default))

    def messages(self) -> list[str]:
        return [m["message"] for m in self.received]

    async def parse(self, request: web.Request) -> web.Response:
        """/model/parse, which the bridge asks in groups (F4): an informational intent."""
        body = await request.json()
        return web.json_response({"text": body["text"], "intent": {"name": "ask_upcoming_cases"}})


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[RasaStandIn, str]]:
    stand_in = RasaStandIn()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", stand_in.webhook)
    app.router.add_post("/model/parse", stand_in.parse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield stand_in, str(server.make_url("")).rstrip("/")
    await server.close()


@pytest.fixture
def settings(base_settings: Settings, rasa: tuple[RasaStandIn, str]) -> Settings:
    return dataclasses.replace(base_settings, rasa_url=rasa[1])


async def _settle(app: web.Application, bot_api: BotApiStandIn, chat_id: int, count: int) -> None:
    await bot_api.replies(chat_id, after=0, count=count, timeout=10)


async def test_commands_become_assistant_messages(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[RasaStandIn, str]
) -> None:
    """/start carries the app's målform; typed variants like '/Bokmål' still work."""
    stand_in, _ = rasa
    async with running_gateway(settings) as (_server, app):
        # ("/delete_my_data" typed would read as English now: the gateway answers that itself.)
        for text in ["/start", "/Hjelp", "/bokmål", "/nynorsk", "/slett", "/give_input"]:
            await bot_api.send(801, text, language_code="nn")
            await _settle(app, bot_api, 801, len(stand_in.received) + 1)
    assert stand_in.messages() == [
        '/telegram_start{"malform": "nn"}',
        "/help",
        '/switch_malform{"malform": "nb"}',
        '/switch_malform{"malform": "nn"}',
        "/delete_my_data",
        "give_input",  # typed by hand: text, never an intent
    ]
    senders = {m["sender"] for m in stand_in.received}
    assert len(senders) == 1
    [sender] = senders
    assert sender.startswith("tg:") and "801" not in sender


async def test_groups_only_get_answers_when_addressed(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[RasaStandIn, str]
) -> None:
    """Chatter, photos and other bots' commands in a group never reach the assistant."""
    stand_in, _ = rasa
    group = -802
    photo = [{"file_id": "AgAD", "file_unique_id": "u1", "width": 9, "height": 9}]
    async with running_gateway(settings) as (_server, app):
        await bot_api.send(group, "skal vi ta bussen?", chat_type="group")
        await bot_api.send(group, "/start@another_bot", chat_type="group")
        await bot_api.send(group, None, chat_type="group", photo=photo)
        await bot_api.send(group, "/start@medverk_test_bot", chat_type="group", language_code="")
        await bot_api.send(group, "@medverk_test_bot kva skjer?", chat_type="group")
        await _settle(app, bot_api, group, 2)
    assert stand_in.messages() == ["/telegram_start", "kva skjer?"]


async def test_long_replies_are_split_and_buttons_go_on_the_last_part(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[RasaStandIn, str]
) -> None:
    """A 9,000-character answer arrives in three parts; the keyboard comes last."""
    stand_in, _ = rasa
    long_text = ("Dette er eit langt svar om saka. " * 280).strip()
    stand_in.answers["kva står i saka?"] = [
        {"text": long_text, "buttons": [{"title": "Gi innspel", "payload": "/give_input"}]}
    ]
    async with running_gateway(settings) as (_server, app):
        await bot_api.send(803, "kva står i saka?")
        await _settle(app, bot_api, 803, 3)
    parts = bot_api.calls_to("sendMessage", 803)
    assert len(parts) == 3
    assert all(len(p.params["text"]) < 4096 for p in parts)
    assert " ".join(p.params["text"] for p in parts) == long_text
    assert [bool(p.params.get("reply_markup")) for p in parts] == [False, False, True]
    assert all("parse_mode" not in p.params for p in parts)


async def test_html_from_a_user_or_an_answer_is_sent_as_plain_text(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[RasaStandIn, str]
) -> None:
    """No parse mode: '<b>' and '*' reach the user exactly as written."""
    stand_in, _ = rasa
    async with running_gateway(settings) as (_server, app):
        await bot_api.send(804, "<script>alert(1)</script> *hei*")
        await _settle(app, bot_api, 804, 1)
    assert stand_in.messages() == ["<script>alert(1)</script> *hei*"]
    assert bot_api.texts_to(804) == ["svar på <script>alert(1)</script> *hei*"]


async def test_long_button_payloads_survive_the_64_byte_limit(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[RasaStandIn, str]
) -> None:
    """A payload over 64 bytes gets a short key; pressing it sends the full payload."""
    stand_in, _ = rasa
    assert len(LONG_PAYLOAD.encode()) > 64
    stand_in.answers["eg vil gi innspel"] = [
        {
            "text": "Kva sak?",
            "buttons": [{"title": "Trafikk ved Nordsida", "payload": LONG_PAYLOAD}],
        }
    ]
    async with running_gateway(settings) as (_server, app):
        await bot_api.send(805, "eg vil gi innspel")
        await _settle(app, bot_api, 805, 1)
        offered = bot_api.sent_to(805)[-1]
        [[button]] = offered["reply_markup"]["inline_keyboard"]
        assert len(button["callback_data"].encode()) <= 64
        await bot_api.press(805, offered, button["callback_data"])
        await _settle(app, bot_api, 805, 2)
        # After a restart the key is unknown: the button's title is sent instead.
        app[TELEGRAM].bridge.payloads = type(app[TELEGRAM].bridge.payloads)()
        await bot_api.press(805, offered, button["callback_data"])
        await _settle(app, bot_api, 805, 3)
    assert stand_in.messages() == ["eg vil gi innspel", LONG_PAYLOAD, "Trafikk ved Nordsida"]
    assert len(bot_api.calls_to("answerCallbackQuery")) == 2
    assert len(bot_api.calls_to("editMessageReplyMarkup", 805)) == 2


async def test_a_chat_that_blocked_the_bot_does_not_disturb_others(
    settings: Settings, bot_api: BotApiStandIn, rasa: tuple[RasaStandIn, str]
) -> None:
    """Telegram's 403 for a blocked chat is logged quietly; other chats are answered."""
    stand_in, _ = rasa
    async with running_gateway(settings) as (_server, app):
        await bot_api.send(806, "hei")
        bot_api.blocked_chats.add(806)
        await bot_api.send(806, "hei igjen")
        await bot_api.send(807, "hei")
        await _settle(app, bot_api, 807, 1)
        await bot_api.wait_until(lambda: len(bot_api.calls_to("sendMessage", 806)) == 2)
    assert stand_in.messages().count("hei igjen") == 1
    assert bot_api.texts_to(807) == ["svar på hei"]
    # The blocked reply was tried once; no error notice was attempted after it.
    assert [c.params["text"] for c in bot_api.calls_to("sendMessage", 806)][
        -1
    ] == "svar på hei igjen"
