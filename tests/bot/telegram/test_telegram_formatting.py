"""Rasa messages become Telegram messages within Telegram's limits."""

from __future__ import annotations

from bot.telegram.formatting import (
    MAX_CHUNK,
    CallbackPayloads,
    inline_keyboard,
    split_text,
    utf16_len,
)


def test_short_text_is_one_message() -> None:
    """A text under the limit is sent as it is (trimmed)."""
    assert split_text("  Hei på deg!  ") == ["Hei på deg!"]
    assert split_text("   ") == []


def test_long_text_is_split_at_paragraphs_under_the_limit() -> None:
    """Long texts break between paragraphs and every part stays under 4096."""
    paragraph = "Kommunestyret skal handsame saka om ny skule. " * 30
    text = "\n\n".join([paragraph.strip()] * 12)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(utf16_len(c) <= MAX_CHUNK < 4096 for c in chunks)
    assert all(c.endswith("skule.") for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_emoji_count_as_two_units_and_are_never_cut_in_half() -> None:
    """Telegram counts UTF-16 units; astral emoji take two and stay whole."""
    text = "😀" * 3000
    chunks = split_text(text)
    assert "".join(chunks) == text
    assert all(utf16_len(c) <= MAX_CHUNK for c in chunks)
    assert len(chunks) == 2


def test_text_without_spaces_is_cut_hard() -> None:
    """A 10,000-character word still becomes messages Telegram accepts."""
    chunks = split_text("a" * 10_000, limit=4000)
    assert [len(c) for c in chunks] == [4000, 4000, 2000]


def test_short_payloads_are_used_as_callback_data() -> None:
    """A payload within 64 bytes is its own callback_data (survives restarts)."""
    payloads = CallbackPayloads()
    payload = '/switch_malform{"malform": "nn"}'
    assert payloads.encode(payload) == payload
    assert payloads.decode(payload) == payload


def test_long_payloads_get_a_short_key() -> None:
    """Payloads over 64 bytes (counted in UTF-8) map to a key and back."""
    payloads = CallbackPayloads()
    payload = '/choose_case{"case_ref": "2024/1187", "topic": "skulebruk på Nordsida"}'
    assert len(payload.encode()) > 64
    key = payloads.encode(payload)
    assert len(key.encode()) <= 64
    assert payloads.decode(key) == payload
    assert payloads.encode(payload) == key


def test_forgotten_keys_decode_to_none() -> None:
    """The map is bounded; an evicted key is reported as unknown, not guessed."""
    payloads = CallbackPayloads(capacity=2)
    keys = [payloads.encode("/x" + "y" * 70 + str(i)) for i in range(3)]
    assert payloads.decode(keys[0]) is None
    assert payloads.decode(keys[2]) is not None
    assert payloads.decode("#unknown") is None


def test_keyboard_puts_short_titles_two_per_row() -> None:
    """Short titles share rows; a long title gets its own row per button."""
    payloads = CallbackPayloads()
    short = inline_keyboard(
        [{"title": "Nynorsk", "payload": "/a"}, {"title": "Bokmål", "payload": "/b"}], payloads
    )
    assert short is not None
    assert [[b.text for b in row] for row in short.inline_keyboard] == [["Nynorsk", "Bokmål"]]
    long = inline_keyboard(
        [
            {"title": "Saker som kjem opp snart", "payload": "/ask_upcoming_cases"},
            {"title": "Ungdomsrådet", "payload": "/ask_youth_council"},
        ],
        payloads,
    )
    assert long is not None
    assert [len(row) for row in long.inline_keyboard] == [1, 1]
    assert inline_keyboard([{"title": " ", "payload": "/a"}], payloads) is None
