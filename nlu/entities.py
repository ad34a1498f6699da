"""Rasa entity extractor backed by the entity ruler of Medverk's spaCy pipeline.

Used in config.yml as `nlu.entities.NorwegianEntityRuler`, after DIET. It adds
`case_ref` (saksnummer 24/1187, 2024/1187), `committee` and `municipality`.
For `case_ref` the ruler's pattern is exact, so it replaces whatever DIET
guessed for that entity; DIET keeps `topic`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.component import RuleComponent
from nlu.norwegian import find_entities

__all__ = ["NorwegianEntityRuler"]

RULER_OWNS = frozenset({"case_ref"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class NorwegianEntityRuler(RuleComponent):
    """Adds case numbers, committees and municipalities found by the spaCy ruler.

    `entities`: the ruler labels to add (default: all three). Retrains when the pipeline's
    sources (lemma files, committees, case data) change.
    """

    DEFAULTS: ClassVar[Mapping[str, Any]] = {"entities": ["case_ref", "committee", "municipality"]}
    FINGERPRINT_SOURCES = True
    LOADS_PIPELINE = True

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        self._labels = frozenset(self.config["entities"])

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the ruler's entities to each message."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            found = [e for e in find_entities(text) if e.label in self._labels]
            owned = self._labels & RULER_OWNS
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") not in owned]
            entities += [self.entity(e.label, e.text, e.start, e.end) for e in found]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
