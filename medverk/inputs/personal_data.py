"""Personal data written inside an input: phone numbers, e-mail addresses, street
addresses and full names (pure).

The input text stays with the case after the rest is anonymised, so before it
is sent the person is told and offered to send it without them.
`find_personal_data(text)` lists what was found; `without_personal_data(text)`
replaces each with `[…]`.
"""

from __future__ import annotations

import re

__all__ = ["find_personal_data", "without_personal_data"]

REMOVED = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+47[\s-]?)?(?:\d[\s-]?){7}\d(?!\d)")
_STREET = re.compile(
    r"\b[A-ZÆØÅ][a-zæøå]+(?:vegen|veien|vegjen|gata|gate|gaten|vei|veg|veien|stien|"
    r"plassen|bakken|svingen|tunet|lia)\s+\d{1,4}(?:\s?[A-Za-z]\b)?"
)
_NAME = re.compile(
    r"\b(?i:eg heiter|jeg heter|e heite|æ heite|eg heitar|mitt namn er|mitt navn er|"
    r"namnet mitt er|navnet mitt er|my name is)\s+"
    r"(?P<name>[A-ZÆØÅ][\w-]+(?:\s+[A-ZÆØÅ][\w-]+)+)"
)


def _spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for pattern in (_EMAIL, _PHONE, _STREET) for m in pattern.finditer(text)]
    spans += [match.span("name") for match in _NAME.finditer(text)]
    return sorted(spans)


def find_personal_data(text: str) -> list[str]:
    """The personal data found in `text`, in order."""
    return [text[start:end] for start, end in _spans(text)]


def without_personal_data(text: str) -> str:
    """`text` with each piece of personal data replaced by `[…]`."""
    result, last = [], 0
    for start, end in _spans(text):
        if start < last:
            continue
        result += [text[last:start], REMOVED]
        last = end
    result.append(text[last:])
    return "".join(result).strip()
