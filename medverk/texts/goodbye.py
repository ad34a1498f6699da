"""Whether a message really says goodbye (pure).

NLU sometimes hears a short question as goodbye ("blir det nattbuss i
helgene?"); the assistant says goodbye only to the words of a goodbye.
"""

from __future__ import annotations

import re

__all__ = ["says_goodbye"]

_GOODBYE = re.compile(
    r"\b(ha det|hadet|hade|ha de|ha en fin|ha ein fin|ha ei fin|bye|snakkast|snakkes|ses|sees|"
    r"på gjensyn|god natt|god kveld|takk for (no|nå|praten|hjelpa|hjelpen)|ferdig|adjø|"
    r"heilt greitt|det var alt|var alt|ikkje meir|ikke mer|nei takk)\b",
    re.IGNORECASE,
)


def says_goodbye(text: str) -> bool:
    """The words of a goodbye ("ok takk ha det", "snakkast")."""
    return bool(_GOODBYE.search(text))
