"""Keyboard mash is told from short chat words, laughter, dialect and typos."""

from __future__ import annotations

import pytest

from nlu.keyboard_mash import is_keyboard_mash
from nlu.wordless import load_sign_intents, wordless_intent


@pytest.mark.parametrize(
    "text",
    ["asdfgh", "jfjfjfjf", "sdfsdfsdf", "qwerty", "hjkhjkhjk", "asdfjkl", "kkkkk", "asdf qwerty"],
)
def test_mash_is_mash(text: str) -> None:
    """No vowels, a repeated meaningless unit, a keyboard row or home-row letters only."""
    assert is_keyboard_mash(text)


@pytest.mark.parametrize(
    "text",
    [
        "hahaha", "jajaja", "neineinei", "hehehe", "lololol",  # words, repeated
        "ja", "jepp", "nææ", "hæ", "tnx", "lol", "xD", "hmm",  # short chat words
        "ikkje", "hvordna", "sjakk", "skatepark", "koss", "ka e det",  # dialect, typos, words
        "ok asdf",  # one real word is enough
        "24/1187", "", "👍",
    ],
)  # fmt: skip
def test_words_are_not_mash(text: str) -> None:
    """Anything with a real word, or no letters at all, is left to the other checks."""
    assert not is_keyboard_mash(text)


def test_mash_is_not_understood_rather_than_guessed() -> None:
    """The classifier component turns mash into nlu_fallback (never 'yes')."""
    table = load_sign_intents()
    assert wordless_intent("jfjfjfjf", table) == "nlu_fallback"
    assert wordless_intent("jajaja", table) is None
