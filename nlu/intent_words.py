"""Words that overrule an intent guess where a wrong guess costs most (pure, no Rasa).

`nlu.clarify.UncertainIntentClarifier` asks these before acting on give_input
or before answering a message that may be about deleting:

- `asks_about_case(text)`: "Jeg lurer på saken om gratis buss", "stemmer det at …?",
  "eg vil vite meir om …": a question, never the start of the input form;
- `names_case_only(text)`: "gratis buss?", "idrettshallen 🏟️": a case named and nothing
  said about it, best answered by showing the case (its buttons offer giving input);
- `soft_delete(text)`: "kan eg ta vekk noko?": maybe about deleting, so ask first.
"""

from __future__ import annotations

import re

__all__ = ["asks_about_case", "names_case_only", "soft_delete"]

# Asking to know, in both målformer and as young people write it.
_ASKS = re.compile(
    r"\b(lurer på|lurar på|lure på|e det sant|vil vite|ville vite|vil veta|vil høyre|vil høre|"
    r"stemmer det|stemmer dette|er det sant|er det rett|er det riktig|fortel meir|fortell mer|"
    r"fortel meg|fortell meg|kan du fortelje|kan du fortelle|kva handlar|hva handler|"
    r"ka handle|kva går .{1,20} ut på|hva går .{1,20} ut på)\b",
    re.IGNORECASE,
)
# The words of someone who wants to say what they think.
_GIVES_INPUT = re.compile(
    r"\b(meininga?|meningen?|meiner|mener|meine|innspel\w*|innspill\w*|synest|synes|syns|"
    r"seie|si ifrå|si fra|klage|klaga|kommentar\w*|uttale|uttala|protest\w*)\b",
    re.IGNORECASE,
)
# Words that say something about a case (a view), so the words are not a name alone.
_VIEW = re.compile(
    r"\b(må|bør|burde|treng|trenger|trengs|ikkje|ikke|itj|nei|ja|dyr\w*|billig\w*|dårleg\w*|"
    r"dårlig\w*|bra|best|verst|teit|kjip\w*|fin\w*|dum\w*|elsk\w*|hat\w*|imot|mot|støtt\w*|"
    r"einig|enig|uenig|ueinig|vil ha|vil ikkje|vil ikke)\b",
    re.IGNORECASE,
)
# "om skateparken", "på bussen": the rest of "eg vil seie noko om …" or "fortel om …", unclear.
_LEADING_PREPOSITION = re.compile(r"^\W*(om|på|til|angåande|angående|ang)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}|\d+")
# A case named in at most this many words, with no view in them, is a name alone.
_NAME_WORDS = 3
_SOFT_DELETE = re.compile(
    r"\b(ta vekk|ta bort|ta den vekk|ta det vekk|ta det bort|fjern\w*|viske ut|"
    r"angre på det eg sende|angre på det jeg sendte)\b",
    re.IGNORECASE,
)


def asks_about_case(text: str) -> bool:
    """A question about a case: asking words and none of someone giving their view."""
    return bool(_ASKS.search(text)) and not _GIVES_INPUT.search(text)


def names_case_only(text: str) -> bool:
    """A few words (or a question mark) that name something and say nothing about it."""
    if _GIVES_INPUT.search(text) or _VIEW.search(text) or _LEADING_PREPOSITION.match(text):
        return False
    words = _WORD.findall(text)
    return bool(words) and (len(words) <= _NAME_WORDS or text.rstrip().endswith("?"))


def soft_delete(text: str) -> bool:
    """Words that may be about deleting ("ta vekk", "fjerne"), however NLU heard them; not
    in a question about a case ("er det sant at dei vil fjerne nattbussen?")."""
    return bool(_SOFT_DELETE.search(text)) and not _ASKS.search(text)
