"""Pseudonymous identities of citizens across channels.

Rasa sees sender ids of the form `<channel>:<opaque id>`; the store sees only
`sender_key(...)`, a keyed hash of that id, so a leaked table names nobody.
"""

from __future__ import annotations

import hashlib
import hmac

from medverk.names import CHANNEL_PREFIXES, WEB_SENDER_PATTERN

__all__ = ["channel_of", "opaque_id", "rasa_sender_id", "sender_key"]


def _keyed_hash(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def opaque_id(secret: str, raw_id: str) -> str:
    """A stable id that does not reveal `raw_id` (e.g. a Telegram chat id)."""
    return _keyed_hash(secret, "opaque:" + raw_id)[:32]


def rasa_sender_id(channel: str, raw_id: str, secret: str) -> str:
    """The Rasa sender id for a citizen: `web:<widget id>` or `tg:<opaque chat id>`."""
    if channel == "web":
        if not WEB_SENDER_PATTERN.match(raw_id):
            raise ValueError("web sender ids are 8-64 characters of [A-Za-z0-9_-]")
        return f"web:{raw_id}"
    if channel == "tg":
        return f"tg:{opaque_id(secret, raw_id)}"
    raise ValueError(f"unknown channel {channel!r}")


def channel_of(sender_id: str) -> str:
    """The channel name (`web`, `telegram`, or `other`) of a Rasa sender id."""
    prefix = sender_id.split(":", 1)[0]
    return CHANNEL_PREFIXES.get(prefix, "other")


def sender_key(secret: str, sender_id: str) -> str:
    """The pseudonymous key stored with a sender's input (keyed hash, 64 hex)."""
    return _keyed_hash(secret, "sender:" + sender_id)
