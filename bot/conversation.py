"""One chat turn, the same for every channel (web widget, Telegram).

Turns a channel's raw sender id into Rasa's pseudonymous sender id, sends the
text to Rasa, and turns Rasa's messages into the contract's shape
`{"text", "buttons": [{"title", "payload"}]}`. Control messages from actions
(e.g. erase this conversation) are acted on here and never shown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, TypedDict

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.availability import ACTION_SERVER_WATCH, undo_turn
from bot.effective import effective
from bot.keys import RASA_CLIENT, SESSIONMAKER, SETTINGS
from bot.messages import english_answer, gateway_text
from bot.metrics import METRICS
from bot.rasa_client import TURN_MALFORM, RasaUnavailable
from bot.replay import forget_kept_replies
from medverk.identity import rasa_sender_id, sender_key
from medverk.names import ERASE_MARKER
from medverk.store import outbox_repo
from medverk.texts.english import looks_english

__all__ = [
    "ERASE_MARKER",
    "BotMessage",
    "Button",
    "converse",
    "pending_web_messages",
    "to_bot_messages",
]

log = logging.getLogger(__name__)


class Button(TypedDict):
    title: str
    payload: str


class BotMessage(TypedDict):
    text: str
    buttons: list[Button]


def to_bot_messages(raw: list[dict[str, Any]]) -> list[BotMessage]:
    """Rasa REST messages → contract messages; control messages are dropped."""
    messages: list[BotMessage] = []
    for item in raw:
        text = item.get("text")
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or []
            if isinstance(b, dict)
        ]
        if not text and not buttons:
            continue
        messages.append(BotMessage(text=str(text or ""), buttons=buttons))
    return messages


def wants_erase(raw: list[dict[str, Any]]) -> bool:
    """True when an action asked the gateway to erase this conversation's history."""
    return any(
        isinstance(item.get("custom"), dict) and item["custom"].get(ERASE_MARKER) for item in raw
    )


async def converse(
    app: web.Application,
    channel: str,
    raw_id: str,
    text: str,
    malform: str | None = None,
    rasa_timeout: float | None = None,
) -> list[BotMessage]:
    """Send `text` from a citizen on `channel` to Rasa and return the replies (never none).

    Raises `RasaUnavailable` when Rasa or the action server cannot answer (a
    turn the action server broke is undone first, see `bot.availability`); the
    channel decides how to tell the citizen (the text is never silently
    dropped). `malform` is the conversation's målform when the channel knows it;
    `rasa_timeout` how long to wait for Rasa (default: the client's 30 s).
    """
    settings = app[SETTINGS]
    if looks_english(text):
        # Medverk speaks Nynorsk and Bokmål: say so in English, with the main choices.
        english, choices = english_answer(settings.knowledge_dir)
        buttons = [Button(title=c["title"], payload=c["payload"]) for c in choices]
        return [{"text": english, "buttons": buttons}]
    sender = rasa_sender_id(channel, raw_id, settings.secret_key)
    watch = app[ACTION_SERVER_WATCH]
    await watch.ensure_up()
    started = time.perf_counter()
    try:
        raw = await app[RASA_CLIENT].send(sender, text, timeout=rasa_timeout)
    except RasaUnavailable:
        app[METRICS].rasa_error(channel)
        raise
    app[METRICS].answered(channel, time.perf_counter() - started)
    if not to_bot_messages(raw) and not wants_erase(raw):
        if not await watch.is_up():
            await undo_turn(app, sender)
            raise RasaUnavailable("the action server went away during the turn")
        log.warning("Rasa answered a turn with no message; the gateway answers instead")
        fallback = gateway_text(
            "no_answer", malform or effective(app).default_malform, settings.knowledge_dir
        )
        raw = [{"text": fallback}]
    if wants_erase(raw):
        # The action server cannot delete the tracker it is writing to; Rasa has
        # saved the turn by the time it answers, so the gateway erases it now.
        from medverk.store.tracker_erase import erase_tracker

        await erase_tracker(settings, sender)
        TURN_MALFORM.set(None)  # the slot the turn saved is erased with the tracker
        if channel == "web":
            await forget_kept_replies(app, raw_id)
    messages = to_bot_messages(raw)
    if channel == "web":
        messages = await pending_web_messages(app, raw_id) + messages
    return messages


async def pending_web_messages(app: web.Application, raw_id: str) -> list[BotMessage]:
    """Take the officers' answers and decision notices waiting for a widget visitor.

    `raw_id` is the widget's own sender id. Telegram gets these messages
    pushed; the widget gets them when it is opened (`POST /api/chat/pending`)
    and before the replies to each message. Each is returned once: a message
    that a concurrent request marked first is left to that request. A database
    failure (an error, or a server that is down) must not stop the chat: the
    messages stay pending and `[]` is returned.
    """
    settings = app[SETTINGS]
    key = sender_key(settings.secret_key, rasa_sender_id("web", raw_id, settings.secret_key))
    try:
        async with app[SESSIONMAKER].begin() as session:
            taken = [
                message
                for message in await outbox_repo.pending_for(session, key, "web")
                if await outbox_repo.mark_delivered(session, [message.id])
            ]
    except (SQLAlchemyError, OSError, asyncio.TimeoutError):
        log.exception("could not read pending messages; they stay in the outbox")
        return []
    return [BotMessage(text=message.text, buttons=[]) for message in taken]


__all__ += ["RasaUnavailable", "wants_erase"]
