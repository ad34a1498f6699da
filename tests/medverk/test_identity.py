"""Pseudonymous sender ids and keys."""

from __future__ import annotations

import pytest

from medverk.identity import channel_of, rasa_sender_id, sender_key


def test_telegram_sender_id_hides_the_chat_id() -> None:
    """A Telegram chat id never appears in the Rasa sender id."""
    sender = rasa_sender_id("tg", "123456789", "secret")
    assert sender.startswith("tg:")
    assert "123456789" not in sender
    assert sender == rasa_sender_id("tg", "123456789", "secret")
    assert sender != rasa_sender_id("tg", "123456789", "other-secret")


def test_web_sender_id_is_validated() -> None:
    """Web ids must be 8-64 URL-safe characters; anything else is refused."""
    assert rasa_sender_id("web", "abcDEF12_-", "s") == "web:abcDEF12_-"
    for bad in ["", "short", "x" * 65, "<script>", "a b c d e f g"]:
        with pytest.raises(ValueError):
            rasa_sender_id("web", bad, "s")


def test_channel_of_reads_the_prefix() -> None:
    """The channel is read from the sender id's prefix."""
    assert channel_of("web:abcdefgh") == "web"
    assert channel_of("tg:0123") == "telegram"
    assert channel_of("cli-user") == "other"


def test_sender_key_is_keyed_and_stable() -> None:
    """The stored key is a 64-hex keyed hash that depends on the secret."""
    key = sender_key("s1", "web:abcdefgh")
    assert len(key) == 64 and int(key, 16) >= 0
    assert key == sender_key("s1", "web:abcdefgh")
    assert key != sender_key("s2", "web:abcdefgh")
