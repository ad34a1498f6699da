"""Rasa messages → Telegram messages: split long texts, buttons → inline keyboards.

Texts are sent without a parse mode, so nothing a citizen or an editor writes
can be read as markup and nothing needs escaping. Telegram counts message
length in UTF-16 code units, so that is what is measured here.
"""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.conversation import Button

__all__ = ["MAX_CHUNK", "CallbackPayloads", "inline_keyboard", "split_text", "utf16_len"]

# Telegram allows 4096; staying under leaves room for clients that count differently.
MAX_CHUNK = 4000
MAX_CALLBACK_BYTES = 64
_SHORT_TITLE = 18
_HASHED_PREFIX = "#"


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """The largest index i such that text[:i] is at most `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut_point(window: str) -> int:
    """Where to end a chunk: a paragraph, line, sentence or word end, else the window."""
    for separator in ("\n\n", "\n", ". ", "! ", "? ", " "):
        found = window.rfind(separator)
        if found > len(window) // 3:
            return found + len(separator)
    return len(window)


def split_text(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """Split `text` into chunks of at most `limit` UTF-16 units, at natural breaks."""
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        if utf16_len(rest) <= limit:
            chunks.append(rest)
            break
        window = rest[: _fit(rest, limit)]
        cut = _cut_point(window)
        chunk = rest[:cut].rstrip()
        if chunk:
            chunks.append(chunk)
        rest = rest[cut:].lstrip()
    return chunks


class CallbackPayloads:
    """Maps Rasa button payloads to Telegram callback_data (at most 64 bytes).

    Short payloads are used as they are, so buttons keep working after a
    restart. Longer ones get a short key kept in a bounded in-memory map; a
    key that is no longer known is answered from the button's title instead.
    """

    def __init__(self, capacity: int = 20_000) -> None:
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        """The callback_data for `payload`."""
        fits = len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES
        if fits and not payload.startswith(_HASHED_PREFIX):
            return payload
        digest = hashlib.sha256(payload.encode("utf-8")).digest()[:18]
        key = _HASHED_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        """The payload behind `data`, or None when the key is no longer known."""
        if not data.startswith(_HASHED_PREFIX):
            return data
        return self._payloads.get(data)


def inline_keyboard(
    buttons: Sequence[Button], payloads: CallbackPayloads
) -> InlineKeyboardMarkup | None:
    """An inline keyboard for Rasa buttons: two per row when the titles are short."""
    usable = [b for b in buttons if b["title"].strip() and b["payload"].strip()]
    if not usable:
        return None
    keys = [
        InlineKeyboardButton(b["title"].strip(), callback_data=payloads.encode(b["payload"]))
        for b in usable
    ]
    per_row = 2 if all(len(b["title"]) <= _SHORT_TITLE for b in usable) else 1
    return InlineKeyboardMarkup([keys[i : i + per_row] for i in range(0, len(keys), per_row)])
