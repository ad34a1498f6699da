"""Recognises an e-mail address or a Norwegian phone number given as contact."""

from __future__ import annotations

import re

__all__ = ["parse_contact"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}")
_PHONE = re.compile(r"(?<![\d+])(?:\+47|0047)?\s*([2-9](?:\s?\d){7})(?!\d)")


def parse_contact(text: str | None) -> str | None:
    """The e-mail (lower-cased) or phone (`+47` and 8 digits) in `text`, else None."""
    if not text:
        return None
    if (email := _EMAIL.search(text)) is not None:
        return email.group(0).lower()
    if (phone := _PHONE.search(text)) is not None:
        return "+47" + re.sub(r"\s", "", phone.group(1))
    return None
