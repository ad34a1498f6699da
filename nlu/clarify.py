"""Rasa NLU component: ask instead of acting on an uncertain costly intent.

Some intents act: `give_input` starts the input form, `delete_my_data` offers to
delete what a person sent. A wrong guess there costs more than one short
question, so this component (after the classifiers, before MalformDetector) maps
an uncertain one to a clarifying intent with buttons (data/rules/clarify.yml,
domain/clarify.yml):

- `give_input` with confidence below `threshold`, or less than `margin` ahead of
  the runner-up -> `clarify_input_or_question` ("Vil du seie meininga di, eller
  lurer du på noko om saka?");
- the same for `delete_my_data` -> `clarify_delete`.

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

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.intent_words import asks_about_case, names_case_only, soft_delete

__all__ = ["CLARIFY_INTENTS", "UncertainIntentClarifier", "clarifying_intent"]

CLARIFY_INTENTS = {
    "give_input": "clarify_input_or_question",
    "delete_my_data": "clarify_delete",
}


# How far down the ranking an intent may be and still be what the words mean.
_WORDS_RANK = 3


def clarifying_intent(
    ranking: list[dict[str, Any]], threshold: float, margin: float, text: str = ""
) -> str | None:
    """The intent to use instead of the top one of this ranking for `text`, or None when
    the top one stands (sure, or not costly)."""
    if not ranking:
        return None
    top = ranking[0]
    near = {str(r.get("name")) for r in ranking[:_WORDS_RANK]}
    if top.get("name") != "delete_my_data" and "delete_my_data" in near and soft_delete(text):
        return "clarify_delete"
    clarify = CLARIFY_INTENTS.get(str(top.get("name")))
    if clarify is None:
        return None
    confidence = float(top.get("confidence") or 0.0)
    runner_up = float(ranking[1].get("confidence") or 0.0) if len(ranking) > 1 else 0.0
    uncertain = confidence < threshold or confidence - runner_up < margin
    asks = asks_about_case(text) or (uncertain and names_case_only(text))
    if top.get("name") == "give_input" and "ask_case_details" in near and asks:
        return "ask_case_details"
    return clarify if uncertain else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UncertainIntentClarifier(GraphComponent):
    """Turns an uncertain give_input / delete_my_data into a clarifying intent."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._threshold = float(config["threshold"])
        self._margin = float(config["margin"])

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Below `threshold` confidence, or less than `margin` ahead: ask."""
        return {"threshold": 0.5, "margin": 0.2}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UncertainIntentClarifier:
        """Creates the component with its thresholds."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left alone: the clarifying intents are never trained."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Replaces an uncertain costly intent by its clarifying intent."""
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking or ranking[0].get("name") != intent.get("name"):
                ranking = [intent, *ranking]
            text = str(message.get(TEXT) or "")
            clarify = clarifying_intent(ranking, self._threshold, self._margin, text)
            if clarify is None:
                continue
            chosen = {"name": clarify, "confidence": float(intent.get("confidence") or 0.0)}
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
