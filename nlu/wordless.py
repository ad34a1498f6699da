"""Rasa NLU component for messages without a single word (emoji, signs only).

A classifier trained on words guesses wildly on "😂😂😂" or "???" (it once
read laughter as goodbye). This component runs after the classifiers: a
message with no letter or digit gets the intent its signs mean in
`nlu/data/wordless_intents.tsv` (👍 → affirm, 👎 → deny, ...), or `nlu_fallback`
when they mean nothing agreed, so the assistant asks instead of guessing.
Markup counts as no words: "<b></b><script>alert(1)</script>" is not understood,
and neither is keyboard mash ("asdfgh", "jfjfjfjf"; `nlu.keyboard_mash`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.component import RuleComponent
from nlu.keyboard_mash import is_keyboard_mash
from nlu.markup import visible_text

__all__ = ["WORDLESS_FILE", "WordlessMessageClassifier", "load_sign_intents", "wordless_intent"]

WORDLESS_FILE = Path(__file__).parent / "data" / "wordless_intents.tsv"
FALLBACK_INTENT = "nlu_fallback"
# Joiners and variation selectors are parts of one emoji, not signs of their own.
_INVISIBLE = {"\u200d", "\ufe0e", "\ufe0f"}


def load_sign_intents(path: Path = WORDLESS_FILE) -> dict[str, str]:
    """The sign → intent table (comments and blank lines skipped)."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sign, intent = line.split("\t", 1)
        table[_base(sign.strip())] = intent.strip()
    return table


def _base(sign: str) -> str:
    """A sign without skin-tone modifiers and variation selectors."""
    return "".join(ch for ch in sign if ch not in _INVISIBLE and not 0x1F3FB <= ord(ch) <= 0x1F3FF)


def _signs(text: str) -> list[str]:
    return [ch for ch in _base(text) if not ch.isspace()]


def wordless_intent(text: str, table: dict[str, str]) -> str | None:
    """The intent of a message without words (or only mash), or None when it has words."""
    visible = visible_text(text)
    if any(ch.isalnum() for ch in visible):
        return FALLBACK_INTENT if is_keyboard_mash(visible) else None
    signs = _signs(visible)
    if not signs:
        # Only markup is not understood; an empty text has nothing to classify.
        return FALLBACK_INTENT if text.strip() else None
    intents = {table.get(sign) for sign in signs}
    if len(intents) == 1 and None not in intents:
        return intents.pop()
    return FALLBACK_INTENT


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class WordlessMessageClassifier(RuleComponent):
    """Decides the intent of messages made only of emoji or signs.

    No options: the table lives in nlu/data/wordless_intents.tsv (the model is rebuilt when
    it changes); `table` replaces it in tests.
    """

    FINGERPRINT_DATA = (WORDLESS_FILE,)

    def __init__(
        self, config: dict[str, Any] | None = None, *, table: dict[str, str] | None = None
    ) -> None:
        super().__init__(config)
        self._table = load_sign_intents() if table is None else table

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides the intent of messages that have no words."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            intent = wordless_intent(text, self._table)
            if intent is None:
                continue
            chosen = {"name": intent, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
