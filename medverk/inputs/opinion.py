"""Whether a message is the citizen's opinion, or something else said inside the form (pure).

- `looks_like_opinion(text)`: a give_input message that already says what the
  user thinks ("vi treng nattbuss i helgane, det er for dårleg no"), not one
  that asks to give input ("kan eg seie noko om bussen?").
- `answers_text_question(intent, text)`: whether a message at "what do you
  think?" is the answer, not a command or a short question to answer first.
"""

from __future__ import annotations

import re

__all__ = ["adds_to_opinion", "answers_text_question", "asks_to_give_input", "looks_like_opinion"]

# A give_input message that asks to give input, rather than being the input itself:
# "eg vil seie noko om den", "jeg har noe å si om bussen", "kan eg kommentere saka?".
_ASKS_TO_GIVE_INPUT = re.compile(
    r"innspel|innspill|meining|mening|seie ifr|si ifr|si fra|kommentar|kommenter|høyring|høring|"
    r"uttal|tilbakemelding|"
    r"\b(?:seie|sei|si|skrive|gje|gi|kome med|komme med)\s+(?:noko|noe|nåkka|nokka|nåke|litt|"
    r"kva|hva|ka|mi|min)\b|"
    r"\bhar\s+(?:noko|noe|nåkka|nokka|litt)\s+å\b|"
    r"innvending|innsigelse|merknad|synspunkt|"
    r"\b(?:vil|ønsker å|ønskjer å|skal|må)\s+(?:klage|protestere)\b|"
    r"kan eg|kan jeg|kan æ|korleis|hvordan|koss|åssen|\?|"
    r"\b(?:vite|veta|vete|lese|lurer|lurar|spørje|spørre|stemmer det|er det sant|e det sant)\b",
    re.IGNORECASE,
)
MIN_OPINION_WORDS = 6
# Messages with these intents are never the input text: they interrupt the form.
NOT_INPUT_INTENTS = frozenset(
    {
        "stop",
        "ask_privacy",
        "delete_my_data",
        "ask_input_status",
        "bot_challenge",
        "switch_malform",
        "help",
        "edit_input",
        "retry_submit",
        "telegram_non_text",
        "telegram_start",
    }
)
# A short question with one of these intents is answered; the form then asks again.
QUESTION_INTENTS = frozenset(
    {
        "ask_case_details",
        "ask_upcoming_cases",
        "ask_how_to_give_input",
        "ask_youth_council",
        "ask_participation_bodies",
        "ask_conference",
        "ask_contact_person",
    }
)
MAX_QUESTION_CHARS = 120


def asks_to_give_input(text: str) -> bool:
    """ "kan eg seie noko om bussen?", "eg vil vite meir om sak 2026/421": not an opinion."""
    return bool(_ASKS_TO_GIVE_INPUT.search(text))


def looks_like_opinion(text: str) -> bool:
    """A give_input message that already says what the user thinks."""
    words = text.split()
    return len(words) >= MIN_OPINION_WORDS and not _ASKS_TO_GIVE_INPUT.search(text)


# An opinion this long, written where the form asks for age or contact, adds to the input.
MIN_ADDED_OPINION_WORDS = 8


def adds_to_opinion(text: str) -> bool:
    """ "Det er helt feil å legge ned skolen, barna får altfor lang skolevei." written
    where the form asks for the age: more of the opinion, not an answer to throw away."""
    return len(text.split()) >= MIN_ADDED_OPINION_WORDS and looks_like_opinion(text)


def answers_text_question(intent: str | None, text: str) -> bool:
    """Whether `text`, sent while the form asks for the opinion, is that opinion."""
    if intent in NOT_INPUT_INTENTS or text.startswith("/"):
        return False
    is_short_question = text.rstrip().endswith("?") and len(text) <= MAX_QUESTION_CHARS
    return not (intent in QUESTION_INTENTS and is_short_question)
