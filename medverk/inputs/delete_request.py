"""Whether a message clearly asks to delete the person's data (pure).

The delete prompt is offered only on clear words ("slett dataa mine", "fjern
innspelet mitt", "glem meg"): a delete verb together with what to delete, or
"glem meg". Anything less ("eg angra på det eg skreiv", "skal dei slette
nattbussen?") gets a question first.
"""

from __future__ import annotations

import re

__all__ = ["MIN_DELETE_CONFIDENCE", "clearly_asks_to_delete"]

MIN_DELETE_CONFIDENCE = 0.8
_FORGET_ME = re.compile(r"\b(glem|gløym|gløymer|glemmer|forget)\s+(meg|me|alt om meg)\b", re.I)
_VERB = re.compile(r"\b(slett\w*|fjern\w*|delete\w*|erase\w*|remove|visk\w* ut|ta vekk)\b", re.I)
_WHAT = re.compile(
    r"\b(meg|mine|mitt|min|me|my|dataa|dataene|data|alt|alle|innspel\w*|innspill\w*|"
    r"samtal\w*|historikk\w*|opplysning\w*|info|kontaktinfo\w*|det eg|det jeg|det æ|det e)\b",
    re.I,
)


def clearly_asks_to_delete(text: str) -> bool:
    """A delete verb with the person's own data as its object, or "glem meg"."""
    if _FORGET_ME.search(text):
        return True
    verb = _VERB.search(text)
    return verb is not None and _WHAT.search(text[verb.start() :]) is not None
