"""A greeting in front of what someone asks ("hei, hva skjer med bussen?"), pure.

`without_greeting(text)` is the message after its opening greeting, so the
question behind it is answered instead of only saying hello back.
"""

from __future__ import annotations

import re

__all__ = ["without_greeting"]

_GREETING = re.compile(
    r"^\W*(?:hei+|hallo+|heisann|heia|hey|hi|hello|halla|hoi|hæ|yo|morn|god\s+(?:dag|morgon|"
    r"morgen|kveld|ettermiddag))(?:\s+(?:du|dere|de|der|igjen|medverk|alle))*[\s,.!:;-]+",
    re.IGNORECASE,
)


def without_greeting(text: str) -> str:
    """`text` without its opening greeting ("" when the message is only a greeting)."""
    return _GREETING.sub("", text.strip() + " ", count=1).strip()
