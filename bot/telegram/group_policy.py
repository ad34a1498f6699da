"""Telegram group chats share one conversation, so personal things happen privately (F4).

In a group every member talks to the assistant as the same chat. Questions about
cases, participation, privacy and the like are fine there. Giving input, asking
for the status of one's input and deleting one's data are not: another member
would read or delete them. For those the bot answers in the group with a deep
link (`https://t.me/<bot>?start=<what>`) that opens a private chat, where the
user's own identity is used, and `/start <what>` continues with that request.

Which request a free-text message is comes from the trained model (`RasaClient.parse`,
Rasa's token-protected API); a slash payload names its intent.
"""

from __future__ import annotations

from aiohttp import web

from bot.keys import RASA_CLIENT
from bot.rasa_client import RasaUnavailable

__all__ = ["DEEP_LINKS", "PERSONAL_INTENTS", "deep_link", "intent_of", "start_payload"]

# Intents that read, write or delete one person's own input.
PERSONAL_INTENTS = frozenset(
    {"give_input", "ask_input_status", "delete_my_data", "edit_input", "retry_submit"}
)
# Deep-link parameter (Telegram allows A-Z a-z 0-9 _ -) → the intent it continues with.
DEEP_LINKS = {"innspel": "give_input", "status": "ask_input_status", "slett": "delete_my_data"}


def payload_intent(message: str) -> str | None:
    """The intent a '/intent{...}' message names, else None."""
    if not message.startswith("/"):
        return None
    return message[1:].split("{", 1)[0].strip() or None


async def intent_of(app: web.Application, message: str) -> str | None:
    """The intent of `message`: from its payload, else from the trained model (None if Rasa
    cannot tell; the caller then treats it as personal, failing closed)."""
    named = payload_intent(message)
    if named is not None:
        return named
    try:
        parsed = await app[RASA_CLIENT].parse(message)
    except RasaUnavailable:
        return None
    intent = parsed.get("intent") if parsed is not None else None
    return str(intent.get("name")) if isinstance(intent, dict) and intent.get("name") else None


def is_personal(intent: str | None) -> bool:
    """Whether a group must not handle this request (unknown counts as personal)."""
    return intent is None or intent in PERSONAL_INTENTS


def deep_link(bot_username: str, intent: str | None) -> str:
    """The t.me link that opens a private chat and continues with `intent`."""
    parameter = next((key for key, value in DEEP_LINKS.items() if value == intent), "")
    link = f"https://t.me/{bot_username}"
    return f"{link}?start={parameter}" if parameter else link


def start_payload(argument: str) -> str | None:
    """For '/start <argument>' in a private chat: the intent message to continue with."""
    intent = DEEP_LINKS.get(argument.strip())
    return f"/{intent}" if intent else None
