"""One Telegram chat turn: typing indicator, the gateway's chat turn, replies.

The bridge is thin on purpose: Rasa owns the dialogue. It remembers only
what Telegram needs: where to deliver (the chat id, stored pseudonymously
keyed in `channel_addresses` so it is erased with the sender's data) and the
målform a chat last asked for (for the bridge's own few texts).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.background import background_task
from bot.conversation import BotMessage, RasaUnavailable, converse
from bot.effective import effective
from bot.keys import SESSIONMAKER, SETTINGS
from bot.telegram.flood import ChatFloodGuard
from bot.telegram.formatting import CallbackPayloads, inline_keyboard, split_text
from bot.telegram.held import HeldTurns
from bot.telegram.texts import TelegramTexts
from medverk.identity import rasa_sender_id, sender_key
from medverk.store import channels_repo

__all__ = ["CHANNEL", "RASA_CHANNEL", "TelegramBridge", "malform_of_language"]

log = logging.getLogger(__name__)

CHANNEL = "telegram"  # channel name in the store (medverk.identity.channel_of)
RASA_CHANNEL = "tg"  # prefix of Rasa sender ids
TYPING_EVERY_SECONDS = 4.5  # Telegram shows "typing" for 5 s after each call
_MALFORM_IN_PAYLOAD = re.compile(r'"malform"\s*:\s*"(nn|nb)"')
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# A forged webhook update may carry lone UTF-16 surrogates, which no store can encode.
_LONE_SURROGATES = re.compile(r"[\ud800-\udfff]")


def malform_of_language(language_code: str | None) -> str | None:
    """The målform a Telegram app language suggests: nn, nb (also 'no'), or None."""
    code = (language_code or "").lower().split("-")[0]
    if code == "nn":
        return "nn"
    if code in ("nb", "no"):
        return "nb"
    return None


@asynccontextmanager
async def typing_indicator(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the body is done."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                log.debug("typing indicator failed in a chat: %s", exc)
            await asyncio.sleep(TYPING_EVERY_SECONDS)

    async with background_task(keep_typing(), "telegram-typing"):
        yield


def _merge_button_only(replies: Sequence[BotMessage]) -> list[BotMessage]:
    """Attach buttons that come without text to the message before them."""
    merged: list[BotMessage] = []
    for reply in replies:
        if not reply["text"].strip() and merged:
            merged[-1] = BotMessage(
                text=merged[-1]["text"], buttons=[*merged[-1]["buttons"], *reply["buttons"]]
            )
        else:
            merged.append(BotMessage(text=reply["text"], buttons=list(reply["buttons"])))
    return merged


class TelegramBridge:
    """Connects Telegram chats to the gateway's chat turn."""

    def __init__(
        self,
        app: web.Application,
        texts: TelegramTexts,
        guard: ChatFloodGuard | None = None,
        max_remembered_chats: int = 50_000,
    ) -> None:
        self.app = app
        self.texts = texts
        self.guard = guard or ChatFloodGuard()
        self.payloads = CallbackPayloads()
        self._malforms: OrderedDict[int, str] = OrderedDict()
        self._max_remembered = max_remembered_chats
        self.held = HeldTurns(self._answer_held, self._deliver_held, lambda: app[SESSIONMAKER])

    def remember_malform(self, chat_id: int, message: str) -> None:
        """Note the målform a command or button asked for, if any."""
        found = _MALFORM_IN_PAYLOAD.search(message)
        if found:
            self._malforms[chat_id] = found.group(1)
            self._malforms.move_to_end(chat_id)
            while len(self._malforms) > self._max_remembered:
                self._malforms.popitem(last=False)

    def malform_for(self, chat_id: int, language_code: str | None = None) -> str:
        """The målform for the bridge's own texts in this chat."""
        return (
            self._malforms.get(chat_id)
            or malform_of_language(language_code)
            or effective(self.app).default_malform
        )

    def local_text(self, key: str, chat_id: int, language_code: str | None = None) -> str:
        """One of the bridge's own texts, in the chat's målform."""
        return self.texts.text(key, self.malform_for(chat_id, language_code))

    async def turn(
        self, bot: Bot, chat_id: int, message: str, language_code: str | None = None
    ) -> None:
        """Send `message` to the assistant as this chat and deliver its replies.

        While the assistant is away the message is held and answered when it
        is back (`HeldTurns`); the chat is told once.
        """
        message = _LONE_SURROGATES.sub("", message)
        if not message.strip():
            return
        self.remember_malform(chat_id, message)
        async with self.guard.turn(chat_id):
            if await self.held.holding(chat_id):
                key = await self._hold(bot, chat_id, message, tell=False)
                await self._tell(bot, chat_id, key, language_code)
                return
            # Before the turn, so an erasure in this very turn also erases the address.
            await self._remember_address(chat_id)
            try:
                async with typing_indicator(bot, chat_id):
                    replies = await self._converse(chat_id, message)
            except RasaUnavailable as exc:
                log.warning("assistant unavailable for a Telegram chat; message held: %s", exc)
                key = await self._hold(bot, chat_id, message, tell=True)
                await self._tell(bot, chat_id, key, language_code)
                return
            await self.send_replies(bot, chat_id, replies)

    async def _hold(self, bot: Bot, chat_id: int, message: str, tell: bool) -> str | None:
        """Hold the message; the text key to tell the chat, or None."""
        if not await self.held.hold(bot, chat_id, message):
            return "assistant_unavailable"  # not kept: the chat must send it again
        return "assistant_unavailable_held" if tell else None

    async def _tell(
        self, bot: Bot, chat_id: int, key: str | None, language_code: str | None
    ) -> None:
        if key is not None:
            await bot.send_message(chat_id, self.local_text(key, chat_id, language_code))

    async def _converse(self, chat_id: int, message: str) -> list[BotMessage]:
        malform = self._malforms.get(chat_id)
        return await converse(self.app, RASA_CHANNEL, str(chat_id), message, malform=malform)

    async def _answer_held(self, chat_id: int, message: str) -> list[BotMessage]:
        """The assistant's answer to one held message; RasaUnavailable while it is away."""
        async with self.guard.turn(chat_id):
            return await self._converse(chat_id, message)

    async def _deliver_held(self, bot: Bot, chat_id: int, replies: list[BotMessage]) -> None:
        async with self.guard.turn(chat_id):
            await self.send_replies(bot, chat_id, replies)

    async def send_replies(self, bot: Bot, chat_id: int, replies: Sequence[BotMessage]) -> None:
        """Send Rasa's messages: long texts split, buttons on the last part."""
        for reply in _merge_button_only(replies):
            chunks = split_text(reply["text"]) or ["👇"]
            keyboard = inline_keyboard(reply["buttons"], self.payloads)
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                await bot.send_message(
                    chat_id,
                    chunk,
                    reply_markup=keyboard if last else None,
                    link_preview_options=_NO_PREVIEW,
                )

    async def _remember_address(self, chat_id: int) -> None:
        """Keep where to deliver officers' answers to this chat (keyed pseudonymously)."""
        secret = self.app[SETTINGS].secret_key
        key = sender_key(secret, rasa_sender_id(RASA_CHANNEL, str(chat_id), secret))
        malform = self._malforms.get(chat_id)
        try:
            async with self.app[SESSIONMAKER].begin() as session:
                await channels_repo.remember_address(
                    session, sender_key=key, channel=CHANNEL, address=str(chat_id), malform=malform
                )
        except SQLAlchemyError as exc:
            # The chat still works; only delivery of later answers needs the address.
            log.warning("could not store a Telegram chat address: %s", exc)
