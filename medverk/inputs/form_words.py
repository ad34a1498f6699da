"""Short answers inside the input form, read from their words (pure: no Rasa).

- `confirm_answer(text)`: "send", "ja send det", "ok" → "yes"; "nei", "ikkje send" → "no";
  "send utan" → "without" (without the personal data in the text).
- `skips_text(text)`: "hopp over" where the form asks for the opinion (it cannot be skipped).
- `case_change(text)`: "nei, eg meinte den om idrettshallen" → "idrettshallen".
- `attempted_contact(text)`: an e-mail address or phone number, even a mistyped one.
- `opinion_at_text_step(intent, text)`: whether a message is the opinion the form asks for.
- `changes_mind(text)`: "nei vent, eg angrar", "har ombestemt meg": a short change of mind.
- `has_words(text)`: whether a message has any letters or digits ("🙂🙂" has none).
- `points_at_case(text)`: "den om gratis buss", "saka med idrettshallen": a case named.
"""

from __future__ import annotations

import re

from medverk.cases.followup import is_followup
from medverk.inputs.opinion import NOT_INPUT_INTENTS, QUESTION_INTENTS, answers_text_question

__all__ = [
    "attempted_contact",
    "case_change",
    "case_words",
    "changes_mind",
    "clearly_stops",
    "confirm_answer",
    "has_words",
    "opinion_at_text_step",
    "points_at_case",
    "skips_text",
]

_YES = re.compile(
    r"^\W*(ja|jo|jepp|jess|yes|ok|okei|okay|oki|greitt?|fint|supert?|send|sende|send det|"
    r"send den|send inn|ja send|ja,? send( det| den| inn)?|ja takk|ja gjerne|kjør|køyr|gjer det|"
    r"gjør det|det stemmer|stemmer|korrekt|riktig|rett|👍)\W*(takk|då|da|no|nå)?\W*$",
    re.IGNORECASE,
)
_WITHOUT = re.compile(
    r"^\W*(ja,?\s*)?(send\s+(det\s+|den\s+|han\s+)?)?(utan|uten|without)(\s+(dei|dem|desse|disse|"
    r"opplysningane|opplysningene|det|namnet|navnet|nummeret))?\W*$",
    re.IGNORECASE,
)
_AS_IT_IS = re.compile(
    r"^\W*(ja,?\s*)?(send\s+)?(det\s+|den\s+)?(slik|sånn|som)\s+(det|den)\s+(er|e)\W*$|"
    r"^\W*(behald|behold|med)\s+(dei|dem|det|namnet|navnet)\W*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\W*(nei|nope|næ|nææ?|ikkje send|ikke send|ikkje send det|ikke send det|"
    r"nei takk|nei,? ikkje send|nei,? ikke send|la vere|la være)\W*$",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"^\W*(hopp over|hopp|skip|skippe?|neste|veit ikkje|vet ikke|vetikke|veitkje|"
    r"vil ikkje skrive|vil ikke skrive|ingenting)\W*$",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"^\W*(?:nei|neida|nope|næ|oi|ops|sorry|orsak|beklager)?\W*"
    r"(?:eg|jeg|æ|e|i)?\s*(?:meinte|mente|meina|meint|tenkte på|tenkte)\s+"
    r"(?:heller\s+)?(?:gi innspel på|gi innspill på|seie noko om|si noe om)?\s*"
    r"(?:den|det|saka|saken|sak)?\s*(?:om|med|på|til)?\s+(?P<rest>\S.{2,})$"
    r"|^\W*(?:feil sak|ikkje den|ikke den|ikkje den saka|ikke den saken)\W+"
    r"(?:men\s+)?(?:den|saka|saken)?\s*(?:om|med|på)?\s*(?P<rest2>\S.{2,})$",
    re.IGNORECASE,
)
_CONTACT_LIKE = re.compile(r"\S+@\S+|(?:\d[\s.-]?){6,}")
# Replies this short with a small-talk intent are never the opinion ("hei", "ok takk").
_SMALL_TALK = frozenset({"greet", "thank", "affirm", "deny", "goodbye", "skip"})
_SMALL_TALK_WORDS = 4
# Interruptions that a long statement can be mistaken for ("personvern må vere på plass …").
_MISHEARD_AS = frozenset({"ask_privacy", "ask_input_status", "bot_challenge", "help"})
_LONG_STATEMENT_WORDS = 5
_SHORT_QUESTION_WORDS = 6
# How a question starts ("kvifor"/"hvorfor" are left out: "kvifor er bussen så dyr?" is an opinion).
_QUESTION_START = re.compile(
    r"^\W*(ka|kva|hva|når|kven|hvem|kor|kvar|hvor|korleis|hvordan|koss|åssen|stemmer|"
    r"fortel|fortell|e det|er det|kan du)\b",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\b(avbryt\w*|stopp\w*|stop|slutt|avslutt\w*|glem det|gløym det|drit i det|cancel|"
    r"gi opp|gje opp|vil ikkje|vil ikke|orkar ikkje|orker ikke|ferdig|nei takk)\b",
    re.IGNORECASE,
)

# "nei vent, eg angrar": someone who changes their mind, not an opinion or an answer.
_CHANGE_OF_MIND = re.compile(
    r"\b(angrar|angrer|angra|angret|ombestemt|ombestemte|snudd|tenkt meg om|"
    r"ikkje likevel|ikke likevel|ikkje lenger|ikke lenger|nei vent|vent litt|vent no|vent nå|"
    r"gidd ikkje|gidder ikke|gidd itj|dropp det|dropper det|la det vere|la det være)\b",
    re.IGNORECASE,
)
# A change of mind is short; a longer message with these words can be the opinion itself.
_CHANGE_OF_MIND_WORDS = 7
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def changes_mind(text: str) -> bool:
    """ "nei vent, eg angrar", "har ombestemt meg", "gidd ikkje likevel": a short change of mind."""
    return len(text.split()) <= _CHANGE_OF_MIND_WORDS and bool(_CHANGE_OF_MIND.search(text))


_POINTS_AT_CASE = re.compile(
    r"^\W*(den|det|dei|de|saka|saken|sak|den saka|den saken)\s+(om|med|på|til|der|som)\b",
    re.IGNORECASE,
)


def points_at_case(text: str) -> bool:
    """ "den om gratis buss", "saken med idrettshallen": which case, not an opinion."""
    return bool(_POINTS_AT_CASE.match(text))


def has_words(text: str) -> bool:
    """Whether `text` has a letter or a digit (emoji and punctuation alone have none)."""
    return bool(_LETTER_OR_DIGIT.search(text))


def confirm_answer(text: str) -> str | None:
    """ "yes", "without" (send without personal data), "no" or None for a typed answer
    to "Skal eg sende dette?"."""
    if _WITHOUT.match(text):
        return "without"
    if _AS_IT_IS.match(text):
        return "yes"
    if _NO.match(text):
        return "no"
    if _YES.match(text):
        return "yes"
    return None


def skips_text(text: str) -> bool:
    """ "hopp over" (or the like) as the whole message."""
    return bool(_SKIP.match(text))


def case_change(text: str) -> str | None:
    """The words for another case in "nei, eg meinte den om X", else None."""
    match = _CHANGE.match(text.strip())
    if match is None:
        return None
    rest = (match.group("rest") or match.group("rest2") or "").strip(" .!?")
    return rest or None


def attempted_contact(text: str) -> bool:
    """Something that tries to be an e-mail address or a phone number."""
    return bool(_CONTACT_LIKE.search(text))


def opinion_at_text_step(intent: str | None, text: str) -> bool:
    """Whether `text`, sent where the form asks "what do you think?", is that opinion."""
    words = text.split()
    if not words or skips_text(text) or case_change(text) or changes_mind(text):
        return False
    if intent in _SMALL_TALK and len(words) < _SMALL_TALK_WORDS:
        return False
    if is_followup(text) and (text.rstrip().endswith("?") or len(words) <= _SHORT_QUESTION_WORDS):
        return False  # "når er fristen?" is a question about the case, answered first
    if intent == "nlu_fallback" and len(words) < _SMALL_TALK_WORDS:
        return False  # "asdfgh": a keyboard mash is not an opinion
    if intent in QUESTION_INTENTS and _QUESTION_START.match(text) and len(words) <= 12:
        return False  # "ka skjer me skateparken forresten": answered, then the form goes on
    if (
        intent in _MISHEARD_AS
        and len(words) >= _LONG_STATEMENT_WORDS
        and "?" not in text[-2:]
        and not _QUESTION_START.match(text)
    ):
        return True
    if intent in NOT_INPUT_INTENTS:
        return False
    return answers_text_question(intent, text)


def clearly_stops(text: str) -> bool:
    """ "avbryt", "stopp", "glem det": the words of someone who wants to stop."""
    return bool(_STOP.search(text))


# Words of "eg vil gi innspel på …" itself (stems), left out when looking for the case.
_GIVE_INPUT_TERMS = frozenset(
    {"gje", "gi", "innspel", "meining", "ønsk", "seie", "si", "kommentar", "uttal", "send"}
    # "jeg vil gjerne si hva jeg mener", "æ har lyst å seie nåkka": how, not what about.
    | {"gjern", "lyst", "mein", "mene", "mening", "synes", "syns", "synest", "tenk", "tank"}
    | {"nåkk", "nokk", "skriv", "tilbakemelding", "ytre", "ytring"}
)


def case_words(text: str) -> list[str]:
    """The words of a give-input message that can name its case (search stems)."""
    from medverk.cases.terms import query_terms  # loads the language pipeline on first use

    if not text or text.startswith("/"):
        return []
    return [term for term in query_terms(text) if term not in _GIVE_INPUT_TERMS]
