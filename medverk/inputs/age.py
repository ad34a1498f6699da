"""Age groups for the youth council's statistics, and the age limit for contact.

Only people aged 13 or older may consent to us keeping contact details
(Norway's age for consenting to information-society services).
"""

from __future__ import annotations

import re

__all__ = [
    "AGE_GROUPS",
    "AGE_SKIPPED",
    "CONTACT_MIN_AGE",
    "age_group_of",
    "may_give_contact",
    "parse_age_group",
]

CONTACT_MIN_AGE = 13
AGE_SKIPPED = "skipped"
# (slot and stored value, lowest age, highest age); the values read the same in
# Nynorsk and Bokmål, so replies and the officers' statistics can show them as-is.
_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("under 13", 0, 12),
    ("13-15", 13, 15),
    ("16-17", 16, 17),
    ("18-25", 18, 25),
    ("over 25", 26, 130),
)
AGE_GROUPS = tuple(name for name, _, _ in _GROUPS)

_NUMBER_WORDS = {
    "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
    "seksten": 16, "sytten": 17, "søtten": 17, "atten": 18, "nitten": 19, "tjue": 20,
    "tjuge": 20,
}  # fmt: skip
_RANGE = re.compile(r"\b(\d{1,3})\s*(?:-|–|til)\s*(\d{1,3})\b")
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def age_group_of(age: int) -> str | None:
    """The age group for an age in years, or None for an impossible age."""
    for name, low, high in _GROUPS:
        if low <= age <= high:
            return name
    return None


def parse_age_group(text: str | None) -> str | None:
    """An age group from a slot value or free text ("15", "eg er 15 år", "16-17")."""
    if not text:
        return None
    value = text.strip().lower().replace("_", " ").replace("–", "-")
    if value in AGE_GROUPS:
        return value
    if value == AGE_SKIPPED:
        return AGE_SKIPPED
    if (match := _RANGE.search(value)) is not None:
        low, high = age_group_of(int(match.group(1))), age_group_of(int(match.group(2)))
        if low is not None and low == high:
            return low
        return None
    if "under 13" in value or "yngre enn 13" in value:
        return "under 13"
    if "over 25" in value:
        return "over 25"
    if (match := _NUMBER.search(value)) is not None:
        return age_group_of(int(match.group(1)))
    for word in re.findall(r"[a-zæøå]+", value):
        if word in _NUMBER_WORDS:
            return age_group_of(_NUMBER_WORDS[word])
    return None


def may_give_contact(age_group: str | None) -> bool:
    """True unless the person told us they are under 13."""
    return age_group != "under 13"
