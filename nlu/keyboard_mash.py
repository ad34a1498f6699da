"""Is a message only keyboard mash ("asdfgh", "jfjfjfjf", "sdfsdfsdf")?

A word classifier always picks some intent, and mash has once been read as
"yes" — which at "Skal eg sende dette?" would send the input. Mash is told by
its shape, not by a dictionary (dialect and typos are unknown to any
dictionary but are real words): every word of the message is at least four
letters and either has no vowel, repeats a one-to-three-letter unit that is
not a word ("jajaja" and "hahaha" are words), is a run along a keyboard row,
or is six or more letters from the home row only ("asdfjkl").
"""

from __future__ import annotations

import re

__all__ = ["is_keyboard_mash"]

_VOWELS = set("aeiouyæøåéèêóòôüäö")
_KEYBOARD_ROWS = ("qwertyuiopå", "asdfghjkløæ", "zxcvbnm")
_REPEATED_UNIT = re.compile(r"^(.{1,3}?)\1{2,}.{0,2}$")
_HOME_ROW = set("asdfghjkløæ")
_MIN_HOME_ROW_LETTERS = 6
_LETTERS = re.compile(r"[^\W\d_]+")
_MIN_LETTERS = 4
# Repeated units that are words: laughter, "jajaja", "neineinei", "lololol".
_MEANINGFUL_UNITS = frozenset({"ha", "he", "hi", "ho", "ja", "jo", "nei", "lol", "lo", "ne"})


def _along_a_row(word: str) -> bool:
    return any(
        len(word) >= _MIN_LETTERS and (word in row or word in row[::-1]) for row in _KEYBOARD_ROWS
    )


def _is_mash_word(word: str) -> bool:
    if len(word) < _MIN_LETTERS:
        return False
    repeated = _REPEATED_UNIT.match(word)
    if repeated is not None:
        return repeated.group(1) not in _MEANINGFUL_UNITS
    return (
        not any(ch in _VOWELS for ch in word)
        or _along_a_row(word)
        or (len(word) >= _MIN_HOME_ROW_LETTERS and set(word) <= _HOME_ROW)
    )


def is_keyboard_mash(text: str) -> bool:
    """True when the message has words and every one of them is mash."""
    words = _LETTERS.findall(text.lower())
    return bool(words) and all(_is_mash_word(word) for word in words)
