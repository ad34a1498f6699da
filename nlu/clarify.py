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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu.component import RuleComponent

__all__ = ["CLARIFY_INTENTS", "UncertainIntentClarifier", "clarifying_intent"]

CLARIFY_INTENTS = {
    "give_input": "clarify_input_or_question",
    "delete_my_data": "clarify_delete",
}


def clarifying_intent(ranking: list[dict[str, Any]], threshold: float, margin: float) -> str | None:
    """The clarifying intent for this intent ranking, or None when the top one is sure
    (or not costly)."""
    if not ranking:
        return None
    top = ranking[0]
    clarify = CLARIFY_INTENTS.get(str(top.get("name")))
    if clarify is None:
        return None
    confidence = float(top.get("confidence") or 0.0)
    runner_up = float(ranking[1].get("confidence") or 0.0) if len(ranking) > 1 else 0.0
    if confidence < threshold or confidence - runner_up < margin:
        return clarify
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UncertainIntentClarifier(RuleComponent):
    """Turns an uncertain give_input / delete_my_data into a clarifying intent.

    Below `threshold` confidence, or less than `margin` ahead: ask. The clarifying intents
    are never trained.
    """

    DEFAULTS: ClassVar[Mapping[str, Any]] = {"threshold": 0.5, "margin": 0.2}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        self._threshold = float(self.config["threshold"])
        self._margin = float(self.config["margin"])

    def process(self, messages: list[Message]) -> list[Message]:
        """Replaces an uncertain costly intent by its clarifying intent."""
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking or ranking[0].get("name") != intent.get("name"):
                ranking = [intent, *ranking]
            clarify = clarifying_intent(ranking, self._threshold, self._margin)
            if clarify is None:
                continue
            chosen = {"name": clarify, "confidence": float(intent.get("confidence") or 0.0)}
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
