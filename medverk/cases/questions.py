"""What a question about cases means, read from its words (pure: no Rasa, no database).

- `list_kind(text)`: which list is asked for: open hearings, recent decisions
  or what comes up (`ListKind`, and `LIST_KINDS` for what each kind shows).
- `asks_about_deadline(text)` / `asks_about_decision(text)`: what a question
  about one case is about.
- `page_number(raw)`: the page a "more" button asks for.
- `echo(text)`: the user's words, safe and short enough to repeat back.

Words are matched by their stems (`medverk.cases.terms.stem`), so "fristen",
"høyringa" and "vedtok" count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from medverk.cases.terms import stem
from medverk.texts import shorten

__all__ = [
    "LIST_KINDS",
    "ListKind",
    "ListKindSpec",
    "asks_about_deadline",
    "asks_about_decision",
    "echo",
    "has_word",
    "list_kind",
    "page_number",
]

ListKind = Literal["upcoming", "hearings", "decided"]

# What a question is about, told by its words (stems from `medverk.cases.terms`).
DEADLINE_WORDS = ("frist", "høyring", "innspel", "uttal")
DECISION_WORDS = ("vedt", "bestemt", "bestemd", "avgjor", "avgjer", "resultat", "utfall", "skjedd")
# Words that put a question in the future ("kva skal dei vedta snart?").
FUTURE_WORDS = ("snart", "skal", "framover", "fremover", "kjem", "kommer", "neste", "komand")
MAX_PAGE = 1000


@dataclass(frozen=True)
class ListKindSpec:
    """What one kind of list shows: the date beside each case and the responses."""

    date_field: str
    response: str
    none_response: str


LIST_KINDS: dict[ListKind, ListKindSpec] = {
    "upcoming": ListKindSpec("meeting_date", "utter_cases_upcoming", "utter_cases_upcoming_none"),
    "hearings": ListKindSpec(
        "hearing_deadline", "utter_cases_hearings", "utter_cases_hearings_none"
    ),
    "decided": ListKindSpec("decision_date", "utter_cases_decided", "utter_cases_decided_none"),
}


def has_word(text: str, stems: tuple[str, ...]) -> bool:
    """Whether a word of `text` contains one of `stems` (stop words count here)."""
    words = re.findall(r"\w+", text.lower())
    return any(word in stem(raw) for raw in words for word in stems)


def asks_about_deadline(text: str) -> bool:
    """ "Kva er fristen?", "kan eg seie noko i høyringa?"."""
    return has_word(text, DEADLINE_WORDS)


def asks_about_decision(text: str) -> bool:
    """ "Kva vart vedteke?", "kva bestemte dei?"."""
    return has_word(text, DECISION_WORDS)


def list_kind(text: str) -> ListKind:
    """Which list a question asks for: open hearings, recent decisions or what comes up."""
    if asks_about_deadline(text):
        return "hearings"
    if asks_about_decision(text) and not has_word(text, FUTURE_WORDS):
        return "decided"
    return "upcoming"


def page_number(raw: str | None) -> int:
    """The page (1 …) a `case_page` entity asks for; 1 when it is missing or no number."""
    try:
        return max(1, min(int(float(raw)), MAX_PAGE)) if raw else 1
    except ValueError:
        return 1


def echo(text: str) -> str:
    """A user's words safe and short enough to repeat back in an answer."""
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in '<>{}"`')
    return shorten(cleaned.strip(), 40)
