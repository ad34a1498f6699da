"""Whether a message is written in English (pure).

Medverk speaks Nynorsk and Bokmål; an English message gets a short English
answer that says so, with the main choices (the gateway, `bot/conversation.py`).
A message with Norwegian words or letters is never taken for English.
"""

from __future__ import annotations

import re

__all__ = ["looks_english"]

_ENGLISH_WORDS = (
    "the you your do does is are was what how can could please pls plz english hello "
    "speak want which about this that coming cases case data with of to and or my "
    "help join give opinion new there where when who why it an be have will would "
    "thanks thank any anyone someone"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_NORWEGIAN_WORDS = (
    "eg jeg æ ikkje ikke itj kva hva ka korleis hvordan koss er e og på det som har "
    "kan skal vil om til med saka saken sak ein en eit et dei de du meg deg hei takk "
    "innspel innspill no nå snart bussen buss"
)
_NORWEGIAN = frozenset(_NORWEGIAN_WORDS.split())
_WORD = re.compile(r"[a-zæøåé']+")


def looks_english(text: str) -> bool:
    """English words, no Norwegian ones ("hello, do you speak english?")."""
    lowered = text.lower()
    if re.search(r"[æøå]", lowered) or lowered.startswith("/"):
        return False
    words = _WORD.findall(lowered)
    if not words or any(word in _NORWEGIAN for word in words):
        return False
    english = sum(word in _ENGLISH for word in words)
    return "english" in words or english >= 3 or (english >= 2 and len(words) <= 4)
