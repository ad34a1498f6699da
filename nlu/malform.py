"""Rasa NLU component that adds the `malform` entity (nn/nb) to each message.

Used in config.yml as `nlu.malform.MalformDetector`, after the intent
classifier: for `switch_malform` (or any message that names "nynorsk" or
"bokmål") the entity is the målform asked for; otherwise it is the målform the
text is written in, and it is left out when the text does not tell ("ja",
"hei"), so the `malform` slot (filled from this entity) keeps its value.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.malform_detection import (
    MARKERS_FILE,
    WORDLIST_FILE,
    Malform,
    detect_malform,
    mentioned_malforms,
    requested_malform,
)

__all__ = ["MALFORM_ENTITY", "MalformDetector", "malform_for"]

MALFORM_ENTITY = "malform"
SWITCH_INTENT = "switch_malform"


def malform_for(text: str, intent: str | None) -> Malform | None:
    """The `malform` entity value for a message with this text and intent."""
    if intent == SWITCH_INTENT or mentioned_malforms(text):
        requested = requested_malform(text)
        if requested is not None or intent == SWITCH_INTENT:
            return requested
    return detect_malform(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MalformDetector(GraphComponent):
    """Adds the `malform` entity (nn/nb) when the message tells or asks for one."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the evidence lives in nlu/data/malform_markers.tsv."""
        return {}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Rebuild the model when the marker words change."""
        return hashlib.sha256(MARKERS_FILE.read_bytes() + WORDLIST_FILE.read_bytes()).hexdigest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MalformDetector:
        """Creates the component (see parent class for full docstring)."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone: `malform` is never a trained entity."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the `malform` entity to every message that tells its målform."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            value = malform_for(text, intent)
            # Another extractor must never decide the målform.
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != MALFORM_ENTITY]
            if value is not None:
                entities.append(
                    {
                        "entity": MALFORM_ENTITY,
                        "value": value,
                        "start": 0,
                        "end": len(text),
                        "confidence": 1.0,
                        "extractor": self.__class__.__name__,
                    }
                )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
