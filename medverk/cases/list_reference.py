""" "Den første", "nr 2", "fortel meir om den siste": a case picked by its place in a list.

The assistant shows cases as numbered lists with buttons; people often type
instead of tapping. This reads the place they mean from a short message, in
Nynorsk, Bokmål and chat spelling. "Andre" alone also means "other" ("andre
måtar å påverke"), so inside a longer message an ordinal counts only after
"den", "det", "sak", "nr" or "nummer".
"""

from __future__ import annotations

import re

__all__ = ["pick_from_list", "place_in_list"]

_ORDINALS = {
    "første": 0, "fyrste": 0, "forste": 0, "1.": 0, "1": 0, "ein": 0, "en": 0,
    "andre": 1, "andra": 1, "2.": 1, "2": 1, "to": 1,
    "tredje": 2, "3.": 2, "3": 2, "tre": 2,
    "fjerde": 3, "4.": 3, "4": 3, "fire": 3,
    "femte": 4, "5.": 4, "5": 4, "fem": 4,
    "siste": -1, "sista": -1,
}  # fmt: skip
_ORDINAL_WORDS = "første|fyrste|forste|andre|andra|tredje|fjerde|femte|siste|sista"
# A whole message that is only a place: "2", "nr 2", "den første", "første sak", "sak nr. 3".
_ONLY_PLACE = re.compile(
    r"^\W*(?:(?:den|det|sak|saka|saken)\s+)?(?:(?:nr\.?|nummer)\s*)?"
    rf"({_ORDINAL_WORDS}|[1-5]\.?)"
    r"(?:\s+(?:sak|saka|saken|der|da|då|takk))?\W*$",
    re.IGNORECASE,
)
# A place inside a longer message: "fortel meir om den første", "kva handlar nr 3 om?".
_PLACE_IN_TEXT = re.compile(
    rf"\b(?:den|det)\s+({_ORDINAL_WORDS})\b"
    rf"|\b(?:sak|saka|saken)\s+(?:nr\.?\s*|nummer\s+)?({_ORDINAL_WORDS}|[1-5])\b(?!\s*/)"
    r"|\b(?:nr\.?|nummer)\s*([1-5]|to|tre|fire|fem)\b(?!\s*/)"
    rf"|\b({_ORDINAL_WORDS})\s+(?:sak|saka|saken)\b",
    re.IGNORECASE,
)


def place_in_list(text: str) -> int | None:
    """The 0-based place (-1 for the last) a short message points at, if any."""
    text = text.strip()
    if not text or len(text) > 80 or "/" in text:
        return None  # a case number, a button payload or a long message
    match = _ONLY_PLACE.match(text) or _PLACE_IN_TEXT.search(text)
    if match is None:
        return None
    word = next(group for group in match.groups() if group).lower()
    return _ORDINALS.get(word)


def pick_from_list(text: str, options: list[str] | None) -> str | None:
    """The option at the place the message points at, if it points inside the list."""
    if not options:
        return None
    place = place_in_list(text)
    if place is None or place >= len(options):
        return None
    return options[place]
