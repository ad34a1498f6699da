"""A follow-up question about the case just talked about, read from its words (pure).

After the assistant has shown a case, people ask on without naming it: "når
blir det bestemt?", "kven avgjer det?", "kor er møtet?", "har du link?".
`followup_topic(text)` tells which fact such a question asks for, in Nynorsk,
Bokmål and chat spelling; `is_followup(text)` whether the message is short and
names no other case, so it is about the case in focus.
"""

from __future__ import annotations

import re
from typing import Literal

from medverk.cases.caseref import parse_case_ref

__all__ = [
    "FollowupTopic",
    "asks_today",
    "asks_what_happens",
    "followup_topic",
    "is_followup",
    "without_followup_words",
]

FollowupTopic = Literal[
    "link", "meeting", "committee", "proposal", "deadline", "decision", "details"
]

_W = r"(?:^|\b)"
# Checked in this order: the first that matches is the topic.
_TOPICS: tuple[tuple[FollowupTopic, re.Pattern[str]], ...] = (
    ("link", re.compile(rf"{_W}(link|linken|lenk\w*|url|nettside\w*|les meir|les mer)\b", re.I)),
    (
        "deadline",
        re.compile(
            rf"{_W}(frist\w*|høyringsfrist\w*|høringsfrist\w*|for seint|for sent|"
            r"(framleis|fremdeles|fortsatt|enno|ennå|enda)\b.*\b(sei|seie|si|meine|meina|mene|"
            r"innspel|innspill)\w*)",
            re.I,
        ),
    ),
    (
        "committee",
        re.compile(
            r"\b(kven|kem|ken|hvem|åkke)\b.*\b(avgj\w*|bestem\w*|vedt\w*|handsam\w*|"
            r"behandl\w*|stemm\w*|tek|tar|sit|sitter)\b|\b(kva|hvilket|ka) (utval|utvalg)\b",
            re.I,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\b(møte|møtet|møtes|møtast|møtene)\b|\b(ka|kva|hva|what) tid\b|\bklokka\b|"
            r"\b(kor|kvar|hvor|kest|kossen)\b.*\b(holdes|haldast|skjer|er det|e det)\b",
            re.I,
        ),
    ),
    (
        "proposal",
        re.compile(r"\b(forslag\w*|føreslå\w*|foreslå\w*|innstilling\w*|rår|anbefal\w*)\b", re.I),
    ),
    (
        "decision",
        re.compile(
            r"\b(vedt\w*|bestemt|bestemd|bestemme|bestemmes|avgjor\w*|avgjort|avgjer\w*|"
            r"avgjør\w*|resultat\w*|utfall\w*|ferdig|behandl\w*|handsam\w*)\b",
            re.I,
        ),
    ),
    (
        "details",
        re.compile(
            r"\b(meir|mer|detaljar|detaljer|går (den|det|ho|saka|saken) ut på|handlar|handler)\b",
            re.I,
        ),
    ),
)
# Up to this many words, a question without a case of its own is about the case in focus.
MAX_FOLLOWUP_WORDS = 10
_TODAY = re.compile(
    r"\b(dato|dag|datoen|date|day)\b.*\b(i ?dag|idag|today|no|nå)\b|"
    r"\b(ka|kva|hva|hvilken|kossen)\s+(dag|dato)\s+(er|e)\s+det\b",
    re.I,
)


def followup_topic(text: str) -> FollowupTopic | None:
    """Which fact about a case `text` asks for, if any."""
    for topic, pattern in _TOPICS:
        if pattern.search(text):
            return topic
    return None


def without_followup_words(text: str) -> str:
    """`text` without the words that ask for a fact ("når er fristen for klimaplanen" →
    "når er for klimaplanen"), so what is left can name another case."""
    for _topic, pattern in _TOPICS:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def is_followup(text: str) -> bool:
    """A short question about a case's facts that names no case number."""
    if not text or text.startswith("/") or parse_case_ref(text):
        return False
    return len(text.split()) <= MAX_FOLLOWUP_WORDS and followup_topic(text) is not None


def asks_today(text: str) -> bool:
    """ "Kva dato er det i dag?", "hvilken dag er det?"."""
    return bool(_TODAY.search(text)) and not parse_case_ref(text)


_WHAT_HAPPENS = re.compile(
    r"^\W*(ka|kva|hva|åssen|koss|korleis|hvordan)\s+(skjer|skjedde|skjer det|går det|blir det|"
    r"er status|e status)\s+(me|med|på|for|i)\b",
    re.IGNORECASE,
)


_MY_OWN = re.compile(
    r"\b(mine|mitt|min|meg|dataa|dataene|data|innspel\w*|innspill\w*|personvern\w*)\b", re.I
)


def asks_what_happens(text: str) -> bool:
    """ "ka skjer me vindmøllene?", "hva skjer med fotballbanen?": a question about a case."""
    return bool(_WHAT_HAPPENS.match(text)) and not _MY_OWN.search(text)
