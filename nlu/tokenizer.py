"""Rasa tokenizer that splits and lemmatizes with Medverk's Norwegian spaCy pipeline.

Used in config.yml as `nlu.tokenizer.NorwegianTokenizer`. Tokens carry the
lemma from `nlu.norwegian` (Bokmål table + Nynorsk and dialect forms), so a
count-vector featurizer with `use_lemma: true` sees "saka", "saken" and
"sakene" as one word. Emoji stay tokens (they carry meaning: 👍, 🙏);
punctuation is dropped as in Rasa's WhitespaceTokenizer. HTML markup is
not read as words (`nlu.markup.visible_text`), and every case number gets the
lemma `saksnummer`, so "sak 2026/371" is read like "sak 24/1187" whatever the
number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu import markup
from nlu.component import NluComponent
from nlu.markup import visible_text
from nlu.norwegian import CASE_REF_PATTERN, LookupLemmatizer, shared_pipeline

__all__ = ["CASE_NUMBER_LEMMA", "NorwegianTokenizer"]

CASE_NUMBER_LEMMA = "saksnummer"
_CASE_REF = re.compile(CASE_REF_PATTERN)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NorwegianTokenizer(NluComponent, Tokenizer):
    """Tokenizes with spaCy's Norwegian rules and sets each token's lemma.

    Retrains when the pipeline's sources (lemma files, committees, case data) or the code
    that makes the tokens (this module, markup blanking) change: Rasa caches what the
    featurizers learnt from our tokens.
    """

    FINGERPRINT_SOURCES = True
    FINGERPRINT_CODE = (Path(__file__), Path(markup.__file__))
    LOADS_PIPELINE = True

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Same options as Rasa's WhitespaceTokenizer."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Splits the attribute's text into lemmatized tokens."""
        text = visible_text(message.get(attribute))
        nlp = shared_pipeline()
        lemmatizer = nlp.get_pipe("medverk_lemmatizer")
        assert isinstance(lemmatizer, LookupLemmatizer)
        doc = lemmatizer(nlp.make_doc(text))
        words = [token for token in doc if not (token.is_space or token.is_punct)]
        # A message of signs only ("??", "!!!") keeps its signs as tokens: with no token at all
        # the classifier gets no features and fails the whole parse (Rasa answers 500).
        kept = words or [token for token in doc if not token.is_space]
        tokens = [
            Token(token.text, token.idx, lemma=_lemma(token.text, token.lemma_)) for token in kept
        ]
        raw = str(message.get(attribute) or "")
        if not tokens and raw.strip():
            # Markup only ("<script>…</script>"): one token of the raw text, for the same reason;
            # nlu.wordless then says it was not understood.
            start = len(raw) - len(raw.lstrip())
            tokens = [Token(raw.strip(), start, lemma=raw.strip())]
        patterned: list[Token] = self._apply_token_pattern(tokens)
        return patterned


def _lemma(text: str, lemma: str) -> str:
    """The token's lemma; one lemma for every case number."""
    return CASE_NUMBER_LEMMA if _CASE_REF.match(text) else lemma
