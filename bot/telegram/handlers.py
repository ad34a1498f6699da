"""python-telegram-bot callbacks: commands, text, buttons, non-text, errors.

No ConversationHandler: every callback turns the update into one message for
the assistant and hands it to the bridge. In groups the bot only answers when
addressed (a command, an @mention, or a reply to one of its messages).
"""

from __future__ import annotations

import contextlib
import json
import logging
import unicodedata

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.conversation import RasaUnavailable
from bot.telegram import group_policy
from bot.telegram.bridge import TelegramBridge, malform_of_language
from bot.telegram.flood import Admission
from bot.telegram.texts import CommandSpec

__all__ = ["TelegramHandlers", "addressed_text", "command_name", "safe_text"]

log = logging.getLogger(__name__)


def safe_text(text: str) -> str:
    """Free text for the assistant: never read as an intent (no leading '/')."""
    return text.strip().lstrip("/").strip()


def _ascii_fold(text: str) -> str:
    """Fold 'bokmål' → 'bokmal', 'Slett' → 'slett' so typed commands match."""
    text = text.casefold().replace("å", "a").replace("æ", "ae").replace("ø", "o")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def command_name(text: str) -> str:
    """The command word of '/Bokmål@medverk_bot hei' → 'bokmal'."""
    word = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    return _ascii_fold(word.lstrip("/").split("@", 1)[0])


def _is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The text meant for the bot, or None when a group message is not for it."""
    text = message.text or ""
    if _is_private(message):
        return text
    mention = "@" + bot_username.casefold()
    mentions = [
        entity
        for entity, value in message.parse_entities([MessageEntity.MENTION]).items()
        if value.casefold() == mention
    ]
    if not mentions and not _replies_to_bot(message, bot_id):
        return None
    # Remove our own @mentions, last first so earlier offsets stay right.
    for entity in sorted(mentions, key=lambda e: e.offset, reverse=True):
        start = len(text.encode("utf-16-le")[: entity.offset * 2].decode("utf-16-le"))
        end = len(
            text.encode("utf-16-le")[: (entity.offset + entity.length) * 2].decode("utf-16-le")
        )
        text = text[:start] + text[end:]
    return " ".join(text.split())


def _with_malform(spec: CommandSpec, language_code: str | None) -> str:
    """The command's message, with the app language's målform when it asks for it."""
    malform = malform_of_language(language_code) if spec.malform_from_language else None
    if malform is None or "{" in spec.message:
        return spec.message
    return spec.message + json.dumps({"malform": malform})


class TelegramHandlers:
    """The bot's callbacks; `register` wires them into an Application."""

    def __init__(self, bridge: TelegramBridge) -> None:
        self.bridge = bridge

    def register(self, application: Application) -> None:  # type: ignore[type-arg]
        """Add every handler and the central error handler."""
        names = sorted(
            {n for spec in self.bridge.texts.commands for n in spec.names if n.isascii()}
        )
        messages = filters.UpdateType.MESSAGE
        application.add_handler(CommandHandler(names, self.on_command, filters=messages))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(MessageHandler(messages & filters.COMMAND, self.on_other_command))
        application.add_handler(
            MessageHandler(messages & filters.TEXT & ~filters.COMMAND, self.on_text)
        )
        application.add_handler(
            MessageHandler(messages & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.on_non_text)
        )
        application.add_error_handler(self.on_error)

    async def _ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE, message: str) -> None:
        """Flood check, then one turn with the assistant."""
        chat = update.effective_chat
        if chat is None or not message:
            return
        admission = self.bridge.guard.admit(chat.id)
        if admission is Admission.IGNORE:
            return
        if admission is Admission.NOTIFY:
            language = update.effective_user.language_code if update.effective_user else None
            text = self.bridge.local_text("too_many_messages", chat.id, language)
            await context.bot.send_message(chat.id, text)
            return
        language = update.effective_user.language_code if update.effective_user else None
        if chat.type != ChatType.PRIVATE:
            intent = await group_policy.intent_of(self.bridge.app, message)
            if group_policy.is_personal(intent):
                link = group_policy.deep_link(context.bot.username, intent)
                text = self.bridge.local_text("private_chat_only", chat.id, language)
                await context.bot.send_message(chat.id, text.replace("{link}", link))
                return
        await self.bridge.turn(context.bot, chat.id, message, language)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, /hjelp, /nynorsk, /bokmal, /slett → their assistant messages."""
        message = update.effective_message
        if message is None or not message.text:
            return
        spec = self.bridge.texts.command_for(command_name(message.text))
        if spec is None:  # pragma: no cover - CommandHandler only routes known names
            return
        language = update.effective_user.language_code if update.effective_user else None
        _, _, argument = message.text.partition(" ")
        continued = group_policy.start_payload(argument) if _is_private(message) else None
        if spec.command == "start" and continued is not None:
            await self._ask(update, context, continued)  # from a group's deep link
            return
        await self._ask(update, context, _with_malform(spec, language))

    async def on_other_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """'/bokmål', '/Hjelp', '/kva' … → a known command, or plain text."""
        message = update.effective_message
        if message is None or not message.text:
            return
        bot = context.bot
        word, _, rest = message.text.strip().partition(" ")
        command, _, target = word.partition("@")
        if target and target.casefold() != bot.username.casefold():
            return  # a command for another bot in the same group
        spec = self.bridge.texts.command_for(command_name(command))
        if spec is not None:
            await self.on_command(update, context)
            return
        addressed = bool(target) or _is_private(message)
        if addressed or addressed_text(message, bot.username, bot.id) is not None:
            await self._ask(update, context, safe_text(f"{command} {rest}"))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text → the assistant (in groups only when addressed)."""
        message = update.effective_message
        if message is None:
            return
        text = addressed_text(message, context.bot.username, context.bot.id)
        if text is not None:
            await self._ask(update, context, safe_text(text))

    async def on_non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, stickers, voice … → a kind 'I only understand text' from the assistant."""
        message = update.effective_message
        if message is None:
            return
        if _is_private(message) or _replies_to_bot(message, context.bot.id):
            await self._ask(update, context, self.bridge.texts.non_text_message)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: acknowledge it, retire the keyboard, send its payload."""
        query = update.callback_query
        if query is None:
            return
        # Telegram refuses answers to presses older than ~15 s (e.g. while we restarted).
        with contextlib.suppress(BadRequest):
            await query.answer()
        payload = self.bridge.payloads.decode(query.data or "")
        if payload is None:
            # The key is from before a restart: the button's title still says what was meant.
            payload = safe_text(self._pressed_title(update))
        if query.message is not None:
            # The choice is made; a second press on an old keyboard would repeat it.
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(reply_markup=None)
        await self._ask(update, context, payload)

    @staticmethod
    def _pressed_title(update: Update) -> str:
        query = update.callback_query
        message = query.message if query else None
        markup = getattr(message, "reply_markup", None)
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                if query and button.callback_data == query.data:
                    return button.text
        return ""

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The one place errors end: log them and tell the chat kindly."""
        error = context.error
        if isinstance(error, Forbidden):
            log.info("a Telegram chat blocked the bot or removed it: %s", error)
            return
        if isinstance(error, RasaUnavailable):
            log.warning("assistant unavailable for a Telegram chat: %s", error)
            key = "assistant_unavailable"
        else:
            log.error("error while handling a Telegram update", exc_info=error)
            key = "something_went_wrong"
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        language = update.effective_user.language_code if update.effective_user else None
        try:
            await context.bot.send_message(chat_id, self.bridge.local_text(key, chat_id, language))
        except TelegramError as exc:
            log.warning("could not tell a Telegram chat about an error: %s", exc)
