"""Checks on the free text of an input."""

from __future__ import annotations

import pytest

from medverk.inputs.text import MAX_INPUT_CHARS, check_input_text


@pytest.mark.parametrize("raw", ["", "   ", "\n\t ", None, "\u200b\u200b"])
def test_empty_text_is_reported_as_empty(raw: str | None) -> None:
    """Blank or invisible-only text is 'empty'."""
    assert check_input_text(raw).problem == "empty"


@pytest.mark.parametrize("raw", ["👍", "😡😡😡", "!!! ???", "❤️ 🙏"])
def test_emoji_or_punctuation_only_has_no_words(raw: str) -> None:
    """Emoji or punctuation without a single letter or digit is 'no_words'."""
    assert check_input_text(raw).problem == "no_words"


def test_text_over_the_limit_is_too_long_and_not_cut() -> None:
    """Too long text is reported with its full length, never silently cut."""
    check = check_input_text("a" * (MAX_INPUT_CHARS + 1))
    assert check.problem == "too_long"
    assert check.length == MAX_INPUT_CHARS + 1


def test_text_at_the_limit_is_accepted() -> None:
    """Exactly the limit is fine."""
    assert check_input_text("a" * MAX_INPUT_CHARS).ok


def test_html_is_kept_as_plain_text() -> None:
    """Markup is stored as written (escaped where shown), never stripped or run."""
    raw = "<script>alert('x')</script> Meir lys <b>ved</b> skulen!"
    check = check_input_text(raw)
    assert check.ok
    assert check.text == raw


def test_whitespace_and_control_characters_are_tidied() -> None:
    """Control characters go, runs of spaces and blank lines collapse, emoji stay."""
    check = check_input_text("  Meir   lys\x00 ved\r\n\r\n\r\n\r\nskulen 🙏  ")
    assert check.text == "Meir lys ved\n\nskulen 🙏"
    assert check.ok


def test_short_answer_with_words_is_too_short() -> None:
    """'ja' is not an input; a short sentence with emoji is."""
    assert check_input_text("ja").problem == "too_short"
    assert check_input_text("Bra 👍").ok
