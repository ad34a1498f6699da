"""Whether a message asks how to join, or points back at "them" (pure).

Right after the assistant told about the youth council, "korleis kjem eg med?"
asks how to join it, and "kva skal dei snakke om?" asks about its cases; NLU
hears the first as help and the second as any upcoming case. These read the
words; the actions decide from what was just talked about.
"""

from __future__ import annotations

import re

__all__ = ["asks_how_to_join", "points_back_at_them"]

_JOIN = re.compile(
    r"\b(bli|blir|blei|vere|være|kome|komme|kjem|kommer|få|fær|vær) (eg |jeg |æ |e |i |me |vi )?"
    r"med\b|\bmed (i|på) (det|den|rådet|panelet|utvalet|utvalget)\b|"
    r"\b(melde|melda|meld) (meg|deg|seg|oss)\b|\bblir? (ein |en )?(medlem|vald|valgt|valt)\b|"
    r"\b(søke|søkje|søkja|søknad|stille til val|stille til valg)\b|\b(join|joine|joina|sign up)\b",
    re.IGNORECASE,
)

_THEM = re.compile(
    r"\b(dei|dem|dæm|dæi|dokker|døkk|domm|de|they|rådet|utvalet|utvalget|der)\b", re.IGNORECASE
)


def asks_how_to_join(text: str) -> bool:
    """ "korleis kjem eg med?", "hvordan blir jeg med", "kan eg melde meg på"."""
    return bool(_JOIN.search(text))


def points_back_at_them(text: str) -> bool:
    """ "kva skal dei snakke om?", "hva tar de opp?": about the body just talked about."""
    return bool(_THEM.search(text))
