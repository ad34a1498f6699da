"""Search terms for cases: the same words in Nynorsk, Bokmål and chat spelling meet.

A text becomes terms in three steps: spaCy lemmas from `nlu.norwegian`
(Bokmål full forms plus the project's Nynorsk and dialect forms), a light
suffix stripper for inflected forms the table lacks ("kulturhussaka",
"skateparken"), and a Bokmål→Nynorsk word map so "skole"/"skule" and
"høring"/"høyring" become one term. Cases and questions go through the same
function, so the exact stems never matter, only that both sides agree.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)

__all__ = ["STOPWORDS", "YOUTH_TERMS", "is_youth_text", "query_terms", "stem", "text_terms"]

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

# Bokmål (and older) spellings mapped to the Nynorsk word the sample data uses;
# replaced inside compounds too ("skolevei" → "skuleveg").
_BOKMAL_TO_NYNORSK: tuple[tuple[str, str], ...] = (
    ("trafikksikkerhet", "trafikktryggleik"),
    ("sikkerhet", "tryggleik"),
    ("høring", "høyring"),
    ("skole", "skule"),
    ("innspill", "innspel"),
    ("tilskudd", "tilskot"),
    ("tilbud", "tilbod"),
    ("bolig", "bustad"),
    ("sommer", "sommar"),
    ("uttalelse", "fråsegn"),
    ("nedleggelse", "nedlegging"),
    ("kirke", "kyrkje"),
    ("ungdommer", "ungdom"),
    ("ungdommen", "ungdom"),
    ("utslipp", "utslepp"),
    ("bibliotek", "bibliotek"),
    ("spørsmål", "spørsmål"),
    ("vedtekter", "vedtekt"),
    ("møtested", "møteplass"),
    ("møtestad", "møteplass"),
    ("åpningstid", "opningstid"),
    ("åpent", "ope"),
    ("åpen", "open"),
    ("møteplasser", "møteplass"),
    ("gebyrer", "gebyr"),
    ("priser", "pris"),
    ("hjem", "heim"),
    ("lys", "lys"),
    ("hoved", "hovud"),
)
_WORD_ENDINGS: tuple[tuple[str, str], ...] = (("veien", "veg"), ("vei", "veg"), ("veier", "veg"))

# Inflection endings of nouns and verbs in both målformer, longest first.
_ENDINGS = ("ane", "ene", "ar", "er", "en", "et", "a", "e")


def _read_stopwords() -> frozenset[str]:
    text = resources.files("medverk.cases").joinpath("stopwords.txt").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


# Words that never tell what a case is about (see stopwords.txt).
STOPWORDS = _read_stopwords()

YOUTH_TERMS = frozenset(
    {"ungdom", "ung", "unge", "ungdomm", "ungdomsråd", "elev", "barn", "ukm", "fritidsklubb"}
)


def _plain_words(text: str) -> list[tuple[str, str]]:
    return [(word.lower(), word.lower()) for word in _WORD.findall(text)]


@lru_cache(maxsize=1)
def _lemmatizer() -> Callable[[str], list[tuple[str, str]]]:
    """(word, lemma) pairs from the spaCy pipeline of `nlu.norwegian`.

    Falls back to the plain words when the pipeline cannot load, so search
    degrades instead of failing.
    """
    try:
        from nlu.norwegian import shared_pipeline

        nlp = shared_pipeline()
        lemmatize = nlp.get_pipe("medverk_lemmatizer")
    except Exception:  # search must still work without the NLU pipeline
        log.warning("spaCy pipeline unavailable; case search uses plain words", exc_info=True)
        return _plain_words

    def pairs(text: str) -> list[tuple[str, str]]:
        # Tokenizer and lemmatizer only: the entity ruler is not needed for search terms.
        doc = lemmatize(nlp.make_doc(text))
        return [
            (token.lower_, token.lemma_.lower() or token.lower_)
            for token in doc
            if not (token.is_punct or token.is_space)
        ]

    return pairs


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The comparable form of one lower-case word: Nynorsk spelling, no inflection ending."""
    for bokmal, nynorsk in _BOKMAL_TO_NYNORSK:
        if bokmal in word and nynorsk not in word:
            word = word.replace(bokmal, nynorsk)
    for ending, replacement in _WORD_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            word = word[: -len(ending)] + replacement
            break
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _add(seen: dict[str, None], word: str) -> None:
    word = word.strip("-")
    if len(word) < 3 or word in STOPWORDS or not _WORD.fullmatch(word):
        return
    term = stem(word)
    if term not in STOPWORDS:
        seen.setdefault(term, None)


def text_terms(text: str) -> list[str]:
    """Distinct search terms of a text, stop words left out.

    A word counts by its lemma and by its own form (so a lemma-table slip never
    loses a word), unless the word itself is a stop word ("snart" → "snar").
    """
    seen: dict[str, None] = {}
    for word, lemma in _lemmatizer()((text or "")[:5000]):
        if word in STOPWORDS:
            continue
        _add(seen, lemma)
        _add(seen, word)
    return list(seen)


def query_terms(text: str) -> list[str]:
    """Distinct search terms of what a user wrote (same rules as the case texts)."""
    return text_terms(text)


def is_youth_text(terms: Iterable[str]) -> bool:
    """True when the terms speak of young people (ungdom, elevar, barn, UKM …)."""
    return any(term in YOUTH_TERMS or term.startswith("ungdom") for term in terms)
