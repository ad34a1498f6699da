"""Real conversations: Bot API stand-in → python-telegram-bot → gateway → trained Rasa.

Needs a trained model (`make train`, or MEDVERK_TEST_MODEL) and starts the
Rasa engine and action server once for this module.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from conftest import running_gateway
from sqlalchemy import select
from tg_bot_api_standin import BotApiStandIn, Call

from bot.keys import SESSIONMAKER
from bot.telegram import TELEGRAM
from medverk.identity import rasa_sender_id, sender_key
from medverk.runner import Stack, running_stack
from medverk.settings import Settings
from medverk.store.models import ChannelAddress

pytestmark = pytest.mark.stack

# Words only one målform uses (both lists are checked against each other).
NN_WORDS = {"eg", "ikkje", "kva", "korleis", "kjem", "saka", "innspel", "høyring", "fleire", "sjå"}
NB_WORDS = {"jeg", "ikke", "hva", "hvordan", "kommer", "saken", "innspill", "høring", "flere", "se"}


def _words(text: str) -> set[str]:
    return {w.strip(".,:;!?()«»\"'").casefold() for w in text.split()}


@pytest.fixture(scope="module")
def stack(trained_model_path: Path) -> Iterator[Stack]:
    """Rasa engine + action server on free ports with the trained model."""
    with running_stack(model=trained_model_path) as running:
        yield running


@pytest.fixture
async def gateway(stack: Stack, bot_api: BotApiStandIn) -> AsyncIterator[web.Application]:
    """The gateway in this process, its bot on the stand-in, talking to the stack's Rasa."""
    settings = dataclasses.replace(
        stack.settings(),
        telegram_bot_token=bot_api.token,
        telegram_api_base_url=bot_api.base_url,  # type: ignore[attr-defined]
        telegram_webhook_url="",
    )
    async with running_gateway(settings) as (_server, app):
        yield app


async def _turn(
    app: web.Application, bot_api: BotApiStandIn, chat_id: int, text: str | None, **kwargs: object
) -> list[Call]:
    """Send one message and return every reply of that turn."""
    before = len(bot_api.calls_to("sendMessage", chat_id))
    await bot_api.send(chat_id, text, **kwargs)  # type: ignore[arg-type]
    return await _replies_after(app, bot_api, chat_id, before)


async def _replies_after(
    app: web.Application, bot_api: BotApiStandIn, chat_id: int, before: int
) -> list[Call]:
    await bot_api.replies(chat_id, after=before, timeout=60)
    guard = app[TELEGRAM].bridge.guard
    while guard.busy(chat_id):
        await asyncio.sleep(0.02)
    return bot_api.calls_to("sendMessage", chat_id)[before:]


def _text(replies: list[Call]) -> str:
    return "\n".join(str(r.params["text"]) for r in replies)


def _buttons(reply: Call) -> dict[str, str]:
    markup = reply.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


async def test_start_welcomes_in_nynorsk_with_malform_buttons(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """/start: what the bot does and does not do, privacy, /slett, and nn/nb buttons."""
    replies = await _turn(gateway, bot_api, 701, "/start", language_code="nn")
    text = _text(replies)
    assert "Medverk" in text and "/slett" in text and "Personvern" in text
    assert "ikkje eit menneske" in text
    assert set(_buttons(replies[-1])) == {"Nynorsk", "Bokmål"}
    assert bot_api.calls_to("sendChatAction", 701), "typing… was shown while Rasa answered"


async def test_start_follows_a_bokmal_telegram_app(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """A Telegram app set to Norwegian Bokmål gets the welcome in Bokmål."""
    replies = await _turn(gateway, bot_api, 702, "/start", language_code="nb")
    assert "ikke et menneske" in _text(replies)


async def test_a_button_press_is_acknowledged_and_answered(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """/hjelp shows buttons; pressing one answers the query, retires the keyboard, replies."""
    chat = 703
    replies = await _turn(gateway, bot_api, chat, "/hjelp", language_code="nn")
    buttons = _buttons(replies[-1])
    assert buttons, "the help answer offers buttons"
    title, data = next(iter(buttons.items()))
    assert len(data.encode()) <= 64
    pressed_on = bot_api.sent_to(chat)[-1]
    before = len(bot_api.calls_to("sendMessage", chat))
    await bot_api.press(chat, pressed_on, data)
    answer = await _replies_after(gateway, bot_api, chat, before)
    assert answer and _text(answer).strip()
    assert bot_api.calls_to("answerCallbackQuery")
    [edit] = bot_api.calls_to("editMessageReplyMarkup", chat)
    assert edit.params["message_id"] == pressed_on["message_id"]
    assert not edit.params.get("reply_markup")
    assert title


async def test_a_case_question_in_nynorsk_is_answered_in_nynorsk(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """'kva saker skal kommunestyret ta opp snart?' gets an answer in Nynorsk."""
    replies = await _turn(
        gateway, bot_api, 704, "kva saker skal kommunestyret ta opp snart?", language_code="en"
    )
    words = _words(_text(replies))
    assert words & NN_WORDS, _text(replies)
    assert not words & NB_WORDS, _text(replies)


async def test_a_case_question_in_bokmal_is_answered_in_bokmal(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """'hvilke saker skal kommunestyret behandle snart?' gets an answer in Bokmål."""
    replies = await _turn(
        gateway, bot_api, 705, "hvilke saker skal kommunestyret behandle snart?", language_code="en"
    )
    words = _words(_text(replies))
    assert words & NB_WORDS, _text(replies)
    assert not words & NN_WORDS, _text(replies)


async def test_a_photo_gets_a_kind_text_only_answer(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """A photo (or sticker, voice …) is answered: only text is understood."""
    photo = [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}]
    replies = await _turn(gateway, bot_api, 706, None, language_code="nn", photo=photo)
    assert "berre tekst" in _text(replies)
    sticker = {
        "file_id": "CAAD",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    replies = await _turn(gateway, bot_api, 706, None, language_code="nn", sticker=sticker)
    assert "berre tekst" in _text(replies)


async def test_group_chatter_is_ignored_and_mentions_are_answered(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """In a group the bot stays quiet until someone @mentions it."""
    group = -7070
    await bot_api.send(group, "skal vi ta bussen?", chat_type="group", user_id=11)
    replies = await _turn(
        gateway, bot_api, group, "@medverk_test_bot hei!", chat_type="group", user_id=12
    )
    assert len(replies) >= 1
    assert all("bussen" not in str(c.params) for c in bot_api.calls_to("sendMessage", group))


async def test_the_chat_address_is_stored_pseudonymously(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """Officers' answers can reach the chat: its id is kept under the sender key only."""
    await _turn(gateway, bot_api, 708, "hei", language_code="nn")
    settings = _settings_of_app(gateway)
    key = sender_key(settings.secret_key, rasa_sender_id("tg", "708", settings.secret_key))
    async with gateway[SESSIONMAKER]() as session:
        row = (
            await session.scalars(select(ChannelAddress).where(ChannelAddress.sender_key == key))
        ).one()
    assert row.channel == "telegram" and row.address == "708"


def _settings_of_app(app: web.Application) -> Settings:
    from bot.keys import SETTINGS

    return app[SETTINGS]


async def test_a_burst_of_50_messages_from_one_chat(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """50 messages at once: a burst is answered in order, then one notice, and no crash."""
    chat = 709
    started = time.monotonic()
    for n in range(50):
        await bot_api.send(chat, f"hei {n}", language_code="nn")
    burst = gateway[TELEGRAM].bridge.guard._burst
    notice = "Du sender veldig mange meldingar"
    await bot_api.wait_until(
        lambda: (
            sum(notice in t for t in bot_api.texts_to(chat)) == 1
            and len(bot_api.texts_to(chat)) >= burst + 1
        ),
        timeout=120,
    )
    guard = gateway[TELEGRAM].bridge.guard
    while guard.busy(chat):
        await asyncio.sleep(0.02)
    elapsed = time.monotonic() - started
    texts = bot_api.texts_to(chat)
    answered = [t for t in texts if notice not in t]
    print(f"\nburst of 50: {len(answered)} answered, 1 notice, {elapsed:.2f} s")
    assert len(answered) >= burst
    assert sum(notice in t for t in texts) == 1
    # The chat keeps working once it slows down.
    await asyncio.sleep(2.1)
    replies = await _turn(gateway, bot_api, chat, "takk!", language_code="nn")
    assert replies and notice not in _text(replies)


async def _press(
    app: web.Application, bot_api: BotApiStandIn, chat_id: int, title_starts: str
) -> list[Call]:
    """Press the button whose title starts with `title_starts` on the last keyboard."""
    with_keyboard = [m for m in bot_api.sent_to(chat_id) if m.get("reply_markup")]
    assert with_keyboard, "no buttons were offered"
    message = with_keyboard[-1]
    buttons = {
        b["text"]: b["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
    }
    matches = [t for t in buttons if t.startswith(title_starts)] or list(buttons)[:1]
    assert matches, f"no button like {title_starts!r} in {list(buttons)}"
    before = len(bot_api.calls_to("sendMessage", chat_id))
    await bot_api.press(chat_id, message, buttons[matches[0]])
    return await _replies_after(app, bot_api, chat_id, before)


async def test_full_input_submission_then_answer_then_slett(
    gateway: web.Application, bot_api: BotApiStandIn
) -> None:
    """Give input with buttons and text, get the officer's answer in the chat, delete it all."""
    from medverk.store import outbox_repo
    from medverk.store.models import Input

    chat = 710
    settings = _settings_of_app(gateway)
    key = sender_key(settings.secret_key, rasa_sender_id("tg", str(chat), settings.secret_key))
    opinion = (
        "Eg meiner det trengst fortau langs skulevegen, for det er farleg å gå der om vinteren."
    )

    await _turn(gateway, bot_api, chat, "/nynorsk", language_code="nn")
    await _turn(gateway, bot_api, chat, "eg vil gi innspel til ei sak", language_code="nn")
    await _press(gateway, bot_api, chat, "")  # the first case offered
    await _turn(gateway, bot_api, chat, opinion, language_code="nn")
    await _press(gateway, bot_api, chat, "16")
    await _press(gateway, bot_api, chat, "Nei")
    replies = await _press(gateway, bot_api, chat, "Send inn")
    assert replies

    async with gateway[SESSIONMAKER]() as session:
        [stored] = (await session.scalars(select(Input).where(Input.sender_key == key))).all()
    assert stored.text == opinion
    assert (stored.channel, stored.malform, stored.age_group) == ("telegram", "nn", "16-17")
    assert str(chat) not in stored.sender_key

    # An officer answers; the bridge delivers it to this chat.
    before = len(bot_api.calls_to("sendMessage", chat))
    async with gateway[SESSIONMAKER].begin() as session:
        await outbox_repo.enqueue(
            session,
            sender_key=key,
            channel="telegram",
            kind=outbox_repo.KIND_ANSWER,
            text="Takk! Vi tek innspelet ditt med til møtet.",
            input_id=stored.id,
        )
    [delivered] = await bot_api.replies(chat, after=before, timeout=60)
    assert delivered.params["text"] == "Takk! Vi tek innspelet ditt med til møtet."

    # /slett asks first, then deletes the input and the chat address.
    replies = await _turn(gateway, bot_api, chat, "/slett", language_code="nn")
    assert "Ja, slett alt" in _buttons(replies[-1])
    await _press(gateway, bot_api, chat, "Ja, slett alt")
    async with gateway[SESSIONMAKER]() as session:
        assert not (await session.scalars(select(Input).where(Input.sender_key == key))).all()
        assert await session.get(ChannelAddress, key) is None
