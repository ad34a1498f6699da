"""Identical texts grouped for the politicians' report ("×7"), with distinct senders,
and personal data masked before printing (pure).

Texts count as identical after case, spacing and trailing punctuation are
ignored; the first spelling seen is shown. Masking: `medverk.inputs.personal_data`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from medverk.inputs.personal_data import find_personal_data, without_personal_data

__all__ = ["TextGroup", "group_identical", "normalise"]

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The key two texts share when they are the same opinion written the same way."""
    return _SPACE.sub(" ", text).strip().rstrip(".!?… ").casefold()


@dataclass(frozen=True)
class TextGroup:
    """One text as printed (masked), how often it came, from how many senders."""

    text: str
    count: int
    senders: int
    had_personal_data: bool


def group_identical(rows: Iterable[tuple[str, str]]) -> list[TextGroup]:
    """Group (text, sender key) rows; most frequent first, then in order of arrival."""
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    senders: dict[str, set[str]] = {}
    for text, sender in rows:
        key = normalise(text)
        first.setdefault(key, text.strip())
        counts[key] = counts.get(key, 0) + 1
        senders.setdefault(key, set()).add(sender)
    order = {key: index for index, key in enumerate(first)}
    keys = sorted(first, key=lambda k: (-counts[k], order[k]))
    return [
        TextGroup(
            text=without_personal_data(first[k]),
            count=counts[k],
            senders=len(senders[k]),
            had_personal_data=bool(find_personal_data(first[k])),
        )
        for k in keys
    ]
