"""Lists and lengths in plain Norwegian: "a, b og c"; shortened titles for buttons."""

from __future__ import annotations

__all__ = ["join_words", "shorten"]


def join_words(words: list[str], malform: str) -> str:
    """`a, b og c` — the same in Nynorsk and Bokmål, kept here so callers never join by hand."""
    if malform not in ("nn", "nb"):
        raise ValueError(f"målform must be 'nn' or 'nb', not {malform!r}")
    items = [word for word in words if word]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with `…` when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"
