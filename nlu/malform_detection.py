"""Tell Nynorsk from Bokmål in one chat message, and read a request for one.

Pure Python (no Rasa, no spaCy) so the app env and the tests can use it.

`detect_malform(text)` weighs the words of the message:
- marker words from `nlu/data/malform_markers.tsv` (ikkje/ikke, kva/hva, saka/saken,
  dialect ka/koss/æ …), each with a weight; a marker written "stem*" also tells
  as the first part of a compound (høyrings-, innspels-, skule-);
- a misspelt marker counts at 0.4 of its weight when it is one edit (insert, delete,
  substitute or swap two neighbours) from exactly one målform's markers: "ikkej",
  "hvordna", "korleiss";
- word endings that only one målform has (-leg/-lig, -heit/-het, -ane, -ingen …),
  at low weight.
It returns None when the message does not tell ("ja", "hei", "ok 👍") or the
two sides weigh the same, so the conversation keeps its målform.

`requested_malform(text)` reads which målform a message asks for ("kan du skrive
bokmål?" asks for nb although it is written in Nynorsk), minding negation
("ikkje bokmål, nynorsk!") and "frå X til Y".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

__all__ = [
    "MARKERS_FILE",
    "Malform",
    "MalformScore",
    "detect_malform",
    "mentioned_malforms",
    "requested_malform",
    "score_malform",
]

from medverk.names import Malform

MARKERS_FILE = Path(__file__).resolve().parent / "data" / "malform_markers.tsv"
# Words only one målform's full word list has (generated from Debian's wnorwegian by
# scripts/build_malform_wordlist.py): a hint, weaker than a hand-written marker.
WORDLIST_FILE = Path(__file__).resolve().parent / "data" / "malform_wordlist.tsv"
WORDLIST_WEIGHT = 0.6
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Endings only one målform has; (ending, målform, weight, shortest word length).
SUFFIXES: tuple[tuple[str, Malform, float, int], ...] = (
    ("arane", "nn", 1.0, 7),
    ("ane", "nn", 0.7, 6),
    ("aren", "nn", 0.6, 8),  # ordføraren, sommaren (Bokmål -eren)
    ("leg", "nn", 1.0, 6),
    ("lege", "nn", 1.0, 7),
    ("heit", "nn", 1.0, 6),
    ("inga", "nn", 0.5, 6),
    ("kje", "nn", 0.8, 5),
    ("lig", "nb", 1.0, 6),
    ("lige", "nb", 1.0, 7),
    ("het", "nb", 0.8, 6),
    ("erne", "nb", 0.6, 7),  # lærerne, fingerne (Nynorsk -arane, -rane)
    # Compounds ending in a marker word: "bussaken", "sykkelveien" (Nynorsk -saka, -vegen;
    # Bokmål may write "vegen" too, so only -veien tells).
    ("saken", "nb", 1.0, 7),
    ("saka", "nn", 1.0, 6),
    ("veien", "nb", 1.0, 7),
    ("ingen", "nb", 0.6, 7),
    ("else", "nb", 0.2, 7),
)
NEGATIONS = frozenset({"ikkje", "ikke", "ikkj", "itj", "ikk", "not", "ingen", "inte"})
# "kan du ikkje skrive nynorsk?", "kunne dere ikke bytte til bokmål": a modal verb and its
# subject before the negation make a polite request, not a refusal.
POLITE_MODALS = frozenset({"kan", "kunne", "vil", "ville", "skal", "gidd", "gidder", "går"})
POLITE_SUBJECTS = frozenset({"du", "dere", "de", "dokker", "dykk", "dykker", "dåkk", "det"})
# "kvifor skriv du nynorsk?": a why-question about a målform is a complaint about it
# (and "kvifor skriv du ikkje bokmål?" a wish for it).
WHY = frozenset({"kvifor", "hvorfor", "korfor", "koffor", "åffer", "why"})
# Norwegian markers that are everyday English words too ("no thanks", "tell me"):
# in a message with English words around them they tell nothing.
ENGLISH_LOOKALIKES = frozenset({"no", "me"})
ENGLISH_WORDS = frozenset(
    {
        "the", "a", "you", "your", "thanks", "thank", "please", "pls", "tell", "give",
        "is", "are", "and", "it", "this", "that", "what", "way", "problem", "worries",
        "idea", "more", "with", "let", "joke", "one", "can", "do", "not", "yes", "i",
    }
)  # fmt: skip
# A misspelt marker ("ikkej", "svare" one letter from "svarer") counts for this share of the
# marker's weight: less than a dialect spelling ("ka", "itj") counts.
FUZZY_SHARE = 0.4
# "i staden for nynorsk", "istedenfor bokmål", "heller enn", "framfor": the name after
# them is the målform NOT wanted.
INSTEAD_OF = frozenset({"istadenfor", "istedenfor", "istedet", "framfor", "fremfor", "enn"})
INSTEAD_OF_PAIRS = frozenset({("staden", "for"), ("stedet", "for"), ("staen", "for")})
# The names themselves (and their inflections, common typos); compounds such as
# "nynorskstilen" or "bokmålsordbok" talk about the målform and ask for nothing.
_NYNORSK = re.compile(r"\b(?:ny[\s-]?n?orsk|nynrosk|nynosk)(?:en|e|t)?(?![^\W\d_])", re.IGNORECASE)
_BOKMAL = re.compile(r"\b(?:bok[\s-]?m[åa]a?l|bokml)(?:et|a)?(?![^\W\d_])", re.IGNORECASE)
_MALFORM_WORD = re.compile(r"\b(?:nynorsk|bokm[åa]a?l)\w*", re.IGNORECASE)


@dataclass(frozen=True)
class MalformScore:
    """Evidence for each målform in one message (sum of weights)."""

    nn: float
    nb: float

    @property
    def winner(self) -> Malform | None:
        """The målform with more evidence, or None when it is a tie (incl. no evidence)."""
        if abs(self.nn - self.nb) < 1e-9:
            return None
        return "nn" if self.nn > self.nb else "nb"


@lru_cache(maxsize=1)
def _marker_file() -> tuple[dict[str, tuple[Malform, float]], frozenset[str]]:
    markers: dict[str, tuple[Malform, float]] = {}
    shared: set[str] = set()
    for number, line in enumerate(MARKERS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            word, malform, weight = line.split("\t")
        except ValueError:
            raise ValueError(f"{MARKERS_FILE}:{number}: expected word, målform, weight") from None
        if malform == "both":
            shared.add(word.lower())
        elif malform in ("nn", "nb"):
            markers[word.lower()] = (malform, float(weight))  # type: ignore[assignment]
        else:
            raise ValueError(f"{MARKERS_FILE}:{number}: målform must be nn, nb or both")
    return markers, frozenset(shared)


def _markers() -> dict[str, tuple[Malform, float]]:
    return _marker_file()[0]


@lru_cache(maxsize=1)
def _wordlist() -> dict[str, Malform]:
    """Words only one målform's full word list has (nlu/data/malform_wordlist.tsv)."""
    words: dict[str, Malform] = {}
    if not WORDLIST_FILE.exists():
        return words
    for line in WORDLIST_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, malform = line.partition("\t")
            words[word] = malform  # type: ignore[assignment]
    return words


def _wordlist_evidence(word: str) -> tuple[Malform, float] | None:
    malform = _wordlist().get(word)
    return None if malform is None else (malform, WORDLIST_WEIGHT)


@lru_cache(maxsize=1)
def _prefix_markers() -> tuple[tuple[str, Malform, float], ...]:
    """Markers written "stem*": they also tell as the first part of a compound."""
    return tuple(
        (word[:-1], malform, weight)
        for word, (malform, weight) in _markers().items()
        if word.endswith("*")
    )


def _prefix_evidence(word: str) -> tuple[Malform, float] | None:
    for stem, malform, weight in _prefix_markers():
        if len(word) > len(stem) and word.startswith(stem):
            return malform, weight
    return None


def _shared_words() -> frozenset[str]:
    """Words both målformer write alike that sit one edit from a marker: never typos."""
    return _marker_file()[1]


def _one_edit_apart(a: str, b: str) -> bool:
    """True when `a` becomes `b` by one insert, delete, substitution or neighbour swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@lru_cache(maxsize=4096)
def _fuzzy_marker(word: str) -> tuple[Malform, float] | None:
    """The målform a misspelt marker points to, if all near markers agree."""
    if len(word) < 5:
        return None
    found: dict[Malform, float] = {}
    for marker, (malform, weight) in _markers().items():
        if (
            weight >= 1
            and len(marker) >= 5
            and not marker.endswith("*")
            and _one_edit_apart(word, marker)
        ):
            found[malform] = max(found.get(malform, 0.0), weight * FUZZY_SHARE)
    if len(found) != 1:
        return None
    ((malform, weight),) = found.items()
    return malform, weight


def _suffix_evidence(word: str) -> tuple[Malform, float] | None:
    for ending, malform, weight, shortest in SUFFIXES:
        if len(word) >= shortest and word.endswith(ending):
            return malform, weight
    return None


# E-mail addresses, web addresses and domain names are no evidence: the ".no"
# of "ola@example.no" is not Nynorsk "no".
_ADDRESSES = re.compile(
    r"\S+@\S+|(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:no|com|org|net|io|eu)\b\S*",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(_ADDRESSES.sub(" ", text))]


def _is_malform_name(word: str) -> bool:
    return bool(_NYNORSK.fullmatch(word) or _BOKMAL.fullmatch(word))


def score_malform(text: str) -> MalformScore:
    """Weigh the evidence for Nynorsk and Bokmål in `text`."""
    totals: dict[Malform, float] = {"nn": 0.0, "nb": 0.0}
    markers = _markers()
    words = _words(text)
    english = any(word in ENGLISH_WORDS for word in words)
    for word in words:
        if _is_malform_name(word) or word in _shared_words() or _MALFORM_WORD.match(word):
            continue  # "nynorsk"/"bokmål" name a wish, not the writer's målform
        if english and word in ENGLISH_LOOKALIKES:
            continue  # "no thanks", "tell me a joke"
        evidence = (
            markers.get(word)
            or _prefix_evidence(word)
            or _wordlist_evidence(word)
            or _suffix_evidence(word)
            or _fuzzy_marker(word)
        )
        if evidence is not None:
            malform, weight = evidence
            totals[malform] += weight
    return MalformScore(nn=totals["nn"], nb=totals["nb"])


def detect_malform(text: str) -> Malform | None:
    """The målform `text` is written in, or None when the text does not tell."""
    return score_malform(text).winner


def mentioned_malforms(text: str) -> list[tuple[int, Malform]]:
    """Character offsets and målformer of every "nynorsk"/"bokmål" in `text`, in order."""
    found: list[tuple[int, Malform]] = [(m.start(), "nn") for m in _NYNORSK.finditer(text)]
    found += [(m.start(), "nb") for m in _BOKMAL.finditer(text)]
    return sorted(found)


def _negated(text: str, offset: int) -> bool:
    """ "ikkje (på) bokmål", "i staden for nynorsk", "kvifor skriv du nynorsk?": the name
    is not wanted ("kan du ikkje skrive nynorsk?" and "kvifor ikkje bokmål?" want it)."""
    clause = _words(re.split(r"[,.;:!?]", text[:offset])[-1])
    last = clause[-3:]
    if any(word in INSTEAD_OF for word in last) or any(
        pair in INSTEAD_OF_PAIRS for pair in pairwise(last)
    ):
        return True
    negated = any(
        word in NEGATIONS and not _polite(clause, len(clause) - len(last) + i)
        for i, word in enumerate(last)
    )
    if any(word in WHY for word in clause):
        return not negated
    return negated


def _polite(clause: list[str], index: int) -> bool:
    """The negation at clause[index] follows a modal and its subject: "kan du ikkje"."""
    return (
        index >= 2 and clause[index - 2] in POLITE_MODALS and clause[index - 1] in POLITE_SUBJECTS
    )


def _other(malform: Malform) -> Malform:
    return "nb" if malform == "nn" else "nn"


def requested_malform(text: str) -> Malform | None:
    """The målform `text` asks for ("skriv bokmål", "ikkje nynorsk"), or None."""
    mentions = mentioned_malforms(text)
    if not mentions:
        return None
    wanted = [m for offset, m in mentions if not _negated(text, offset)]
    unwanted = [m for offset, m in mentions if _negated(text, offset)]
    if not wanted:
        # "ikkje nynorsk takk" asks for the other one.
        return _other(unwanted[-1]) if len(set(unwanted)) == 1 else None
    targets = _after_til(text, mentions)
    if targets:
        return targets[-1]
    return wanted[-1]


def _after_til(text: str, mentions: Iterable[tuple[int, Malform]]) -> list[Malform]:
    """Målformer that follow "til"/"over til"/"på" ("frå bokmål til nynorsk")."""
    result: list[Malform] = []
    for offset, malform in mentions:
        before = _words(text[:offset])[-1:]
        if before and before[0] in {"til", "te", "tel"}:
            result.append(malform)
    return result
