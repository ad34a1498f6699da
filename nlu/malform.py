"""Rasa NLU component that adds the `malform` entity (nn/nb) to each message.

Used in config.yml as `nlu.malform.MalformDetector`, after the intent
classifier: for `switch_malform` (or any message that names "nynorsk" or
"bokmål") the entity is the målform asked for; otherwise it is the målform the
text is written in, and it is left out when the text does not tell ("ja",
"hei"), so the `malform` slot (filled from this entity) keeps its value.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.component import RuleComponent
from nlu.malform_detection import (
    MARKERS_FILE,
    WORDLIST_FILE,
    Malform,
    detect_malform,
    mentioned_malforms,
    requested_malform,
)
from nlu.markup import visible_text

__all__ = ["MALFORM_ENTITY", "MalformDetector", "malform_for"]

MALFORM_ENTITY = "malform"
SWITCH_INTENT = "switch_malform"


def malform_for(text: str, intent: str | None) -> Malform | None:
    """The `malform` entity value for a message with this text and intent.

    Only what a reader sees counts: markup and script content ("<script>alert(1)",
    where "alert" is a Bokmål word) tell nothing about the writer's målform.
    """
    text = visible_text(text)
    if intent == SWITCH_INTENT or mentioned_malforms(text):
        requested = requested_malform(text)
        if requested is not None or intent == SWITCH_INTENT:
            return requested
    return detect_malform(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MalformDetector(RuleComponent):
    """Adds the `malform` entity (nn/nb) when the message tells or asks for one.

    No options: the evidence lives in nlu/data/malform_markers.tsv and the word list (the
    model is rebuilt when they change); `malform` is never a trained entity.
    """

    FINGERPRINT_DATA = (MARKERS_FILE, WORDLIST_FILE)

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
                entities.append(self.entity(MALFORM_ENTITY, value, 0, len(text)))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
