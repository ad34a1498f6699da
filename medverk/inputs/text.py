"""Checks and tidies the free text of an input before it is stored.

HTML or script in the text is kept as plain text: it is stored as written and
escaped wherever it is shown, never stripped or interpreted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["MAX_INPUT_CHARS", "MIN_INPUT_CHARS", "TextCheck", "check_input_text"]

MAX_INPUT_CHARS = 2000
MIN_INPUT_CHARS = 3

Problem = Literal["empty", "too_short", "too_long", "no_words"]

# Control characters except newline and tab; they make the text unreadable in
# the officer app and in CSV exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class TextCheck:
    """The tidied text and what, if anything, is wrong with it."""

    text: str
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def length(self) -> int:
        return len(self.text)


def _has_word_characters(text: str) -> bool:
    """True when the text has a letter or digit (emoji and punctuation are not words)."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


def tidy(raw: str) -> str:
    """NFC-normalise, drop control characters, collapse runs of spaces and blank lines."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def check_input_text(raw: str | None) -> TextCheck:
    """Tidy `raw` and say whether it can be stored as an input."""
    text = tidy(raw or "")
    if not text:
        return TextCheck(text, "empty")
    if not _has_word_characters(text):
        return TextCheck(text, "no_words")
    if len(text) > MAX_INPUT_CHARS:
        return TextCheck(text, "too_long")
    if len(text) < MIN_INPUT_CHARS:
        return TextCheck(text, "too_short")
    return TextCheck(text, None)
