"""Rasa NLU component: ask instead of acting on an uncertain costly intent.

Some intents act: `give_input` starts the input form, `delete_my_data` offers to
delete what a person sent. A wrong guess there costs more than one short
question, so this component (after the classifiers, before MalformDetector) maps
an uncertain one to a clarifying intent with buttons (data/rules/clarify.yml,
domain/clarify.yml):

- `give_input` with confidence below `threshold`, or less than `margin` ahead of
  the runner-up -> `clarify_input_or_question` ("Vil du seie meininga di, eller
  lurer du på noko om saka?");
- the same for `delete_my_data` -> `clarify_delete`;
- a give_input that reads like a question or like news of something already sent
  (ends in "?", starts with a question word, or has a cue such as "spørsmål",
  "lurer", "sendte": `nlu/data/question_cues.txt`) needs `question_threshold`
  confidence, so "får ungdomsrådet seie meininga si?" gets the question, not the form.

Buttons send `/give_input` or `/delete_my_data` (confidence 1), so the form or
the deletion still starts on an explicit choice.

The words overrule the guess where they are plain (`nlu.intent_words`): a
give_input that asks about a case ("Jeg lurer på saken om gratis buss") or only
names one ("gratis buss?") becomes `ask_case_details` when that intent is in the
ranking (the case is shown, with a button to give input); words that may be
about deleting ("kan eg ta vekk noko?") get `clarify_delete` whatever else NLU
guessed, as long as `delete_my_data` is in the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.component import RuleComponent
from nlu.intent_words import asks_about_case, names_case_only, soft_delete

__all__ = [
    "CLARIFY_INTENTS",
    "UncertainIntentClarifier",
    "clarifying_intent",
    "looks_like_a_question",
]

QUESTION_CUES_FILE = Path(__file__).resolve().parent / "data" / "question_cues.txt"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

CLARIFY_INTENTS = {
    "give_input": "clarify_input_or_question",
    "delete_my_data": "clarify_delete",
}


@lru_cache(maxsize=1)
def _question_cues() -> tuple[frozenset[str], frozenset[str]]:
    """(cues as the first word, cues anywhere) from nlu/data/question_cues.txt."""
    first: set[str] = set()
    anywhere: set[str] = set()
    for number, line in enumerate(QUESTION_CUES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        word, _, where = line.partition("\t")
        if where not in ("first", "any"):
            raise ValueError(f"{QUESTION_CUES_FILE}:{number}: expected word<TAB>first|any")
        (first if where == "first" else anywhere).add(word.strip().lower())
    return frozenset(first), frozenset(anywhere)


def looks_like_a_question(text: str) -> bool:
    """True when `text` asks (or reports something already sent) rather than tells."""
    if text.rstrip().endswith("?"):
        return True
    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return False
    first, anywhere = _question_cues()
    return words[0] in first or any(word in anywhere for word in words)


# How far down the ranking an intent may be and still be what the words mean.
_WORDS_RANK = 3


def clarifying_intent(
    ranking: list[dict[str, Any]],
    threshold: float,
    margin: float,
    text: str = "",
    question_threshold: float = 0.0,
) -> str | None:
    """The intent to use instead of the top one of this ranking for `text`, or None when
    the top one stands (sure, or not costly). A give_input in `text` that looks like a
    question needs `question_threshold`."""
    if not ranking:
        return None
    top = ranking[0]
    name = str(top.get("name"))
    near = {str(r.get("name")) for r in ranking[:_WORDS_RANK]}
    if name != "delete_my_data" and "delete_my_data" in near and soft_delete(text):
        return "clarify_delete"
    clarify = CLARIFY_INTENTS.get(name)
    if clarify is None:
        return None
    confidence = float(top.get("confidence") or 0.0)
    runner_up = float(ranking[1].get("confidence") or 0.0) if len(ranking) > 1 else 0.0
    uncertain = confidence < threshold or confidence - runner_up < margin
    asks = asks_about_case(text) or (uncertain and names_case_only(text))
    if name == "give_input" and "ask_case_details" in near and asks:
        return "ask_case_details"
    if uncertain:
        return clarify
    if name == "give_input" and confidence < question_threshold and looks_like_a_question(text):
        return clarify
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UncertainIntentClarifier(RuleComponent):
    """Turns an uncertain give_input / delete_my_data into a clarifying intent.

    Below `threshold` confidence, or less than `margin` ahead: ask; a give_input that looks
    like a question needs `question_threshold`. The clarifying intents are never trained.
    """

    DEFAULTS: ClassVar[Mapping[str, Any]] = {
        "threshold": 0.5,
        "margin": 0.2,
        "question_threshold": 0.9,
    }

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        self._threshold = float(self.config["threshold"])
        self._margin = float(self.config["margin"])
        self._question_threshold = float(self.config["question_threshold"])

    def process(self, messages: list[Message]) -> list[Message]:
        """Replaces an uncertain costly intent by its clarifying intent."""
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking or ranking[0].get("name") != intent.get("name"):
                ranking = [intent, *ranking]
            clarify = clarifying_intent(
                ranking,
                self._threshold,
                self._margin,
                text=str(message.get(TEXT) or ""),
                question_threshold=self._question_threshold,
            )
            if clarify is None:
                continue
            chosen = {"name": clarify, "confidence": float(intent.get("confidence") or 0.0)}
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
