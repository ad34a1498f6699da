"""Rasa entity extractor backed by the entity ruler of Medverk's spaCy pipeline.

Used in config.yml as `nlu.entities.NorwegianEntityRuler`, after DIET. It adds
`case_ref` (saksnummer 24/1187, 2024/1187), `committee` and `municipality`.
For `case_ref` the ruler's pattern is exact, so it replaces whatever DIET
guessed for that entity; DIET keeps `topic`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.norwegian import find_entities, shared_pipeline, source_fingerprint

__all__ = ["NorwegianEntityRuler"]

RULER_OWNS = frozenset({"case_ref"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class NorwegianEntityRuler(GraphComponent):
    """Adds case numbers, committees and municipalities found by the spaCy ruler."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`entities`: the ruler labels to add (default: all three)."""
        return {"entities": ["case_ref", "committee", "municipality"]}

    def __init__(self, config: dict[str, Any]) -> None:
        self._labels = frozenset(config["entities"])

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the pipeline's sources (lemma files, committees, case data) change."""
        return source_fingerprint()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NorwegianEntityRuler:
        """Creates the component and loads the shared pipeline once."""
        shared_pipeline()
        return cls({**cls.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone (the ruler is not trained)."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the ruler's entities to each message."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            found = [e for e in find_entities(text) if e.label in self._labels]
            owned = self._labels & RULER_OWNS
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") not in owned]
            entities += [
                {
                    "entity": e.label,
                    "value": e.text,
                    "start": e.start,
                    "end": e.end,
                    "confidence": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for e in found
            ]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
