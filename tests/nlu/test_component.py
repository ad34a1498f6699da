"""The shared base of the NLU components: fingerprints, defaults, entities."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nlu import markup, tokenizer
from nlu.clarify import UncertainIntentClarifier
from nlu.entities import NorwegianEntityRuler
from nlu.norwegian import source_fingerprint
from nlu.tokenizer import NorwegianTokenizer


def test_tokenizer_fingerprint_covers_its_own_code_and_markup() -> None:
    code = Path(tokenizer.__file__).read_bytes() + Path(markup.__file__).read_bytes()
    expected = source_fingerprint() + hashlib.sha256(code).hexdigest()[:16]
    assert NorwegianTokenizer.fingerprint_addon({}) == expected


def test_a_component_without_fingerprint_sources_has_no_addon() -> None:
    assert UncertainIntentClarifier.fingerprint_addon({}) is None


def test_config_merges_over_defaults_that_are_not_shared() -> None:
    ruler = NorwegianEntityRuler({"entities": ["committee"]})
    assert ruler.config == {"entities": ["committee"]}
    defaults = NorwegianEntityRuler.get_default_config()
    defaults["entities"].append("x")
    assert NorwegianEntityRuler.get_default_config()["entities"] == [
        "case_ref",
        "committee",
        "municipality",
    ]
    assert UncertainIntentClarifier({"margin": 0.1}).config == {
        "threshold": 0.5,
        "margin": 0.1,
        "question_threshold": 0.9,
    }


def test_entity_names_its_extractor() -> None:
    entity = NorwegianEntityRuler().entity("committee", "formannskapet", 3, 16)
    assert entity == {
        "entity": "committee",
        "value": "formannskapet",
        "start": 3,
        "end": 16,
        "confidence": 1.0,
        "extractor": "NorwegianEntityRuler",
    }
