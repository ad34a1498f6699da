"""The custom Rasa components: tokenizer, entity ruler and målform detector."""

from __future__ import annotations

from typing import Any

from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.entities import NorwegianEntityRuler
from nlu.malform import MalformDetector
from nlu.tokenizer import NorwegianTokenizer


def _message(
    text: str, intent: str | None = None, entities: list[dict[str, Any]] | None = None
) -> Message:
    data: dict[str, Any] = {TEXT: text, ENTITIES: entities or []}
    if intent:
        data[INTENT] = {"name": intent, "confidence": 0.9}
    return Message(data=data)


def test_tokenizer_sets_lemmas_and_offsets() -> None:
    """Tokens carry the text, its offsets and the project's lemma; punctuation is dropped."""
    tokenizer = NorwegianTokenizer(NorwegianTokenizer.get_default_config())
    message = _message("Koss gjev eg innspel til saka 24/1187? 👍")
    [processed] = tokenizer.process([message])
    tokens = processed.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == [
        "Koss",
        "gjev",
        "eg",
        "innspel",
        "til",
        "saka",
        "24/1187",
        "👍",
    ]
    assert [t.lemma for t in tokens][:6] == ["korleis", "gje", "eg", "innspel", "til", "sak"]
    assert (tokens[6].start, tokens[6].end) == (30, 37)


def test_a_message_of_signs_only_keeps_its_signs_as_tokens() -> None:
    """ "??" had no token, so the classifier got no features and the parse failed (Rasa 500);
    signs beside words are still dropped."""
    tokenizer = NorwegianTokenizer(NorwegianTokenizer.get_default_config())
    for text in ("??", "!!!", "?!", ". . ."):
        [processed] = tokenizer.process([_message(text)])
        tokens = processed.get(TOKENS_NAMES[TEXT])
        assert tokens and "".join(t.text for t in tokens) == text.replace(" ", "")
    [processed] = tokenizer.process([_message("<script>alert(1)</script>")])
    assert len(processed.get(TOKENS_NAMES[TEXT])) == 1
    [processed] = tokenizer.process([_message("hei??")])
    assert [t.text for t in processed.get(TOKENS_NAMES[TEXT])] == ["hei"]


def test_tokenizer_reads_no_markup_and_one_lemma_for_case_numbers() -> None:
    """Tags and script content are not words; every case number has the same lemma."""
    tokenizer = NorwegianTokenizer(NorwegianTokenizer.get_default_config())
    text = "<b>hei</b><script>alert(1)</script> sak 2026/371"
    [processed] = tokenizer.process([_message(text)])
    tokens = processed.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["hei", "sak", "2026/371"]
    assert tokens[-1].lemma == "saksnummer"
    assert text[tokens[0].start : tokens[0].end] == "hei"


def test_tokenizer_splits_intent_names_like_rasa() -> None:
    """Training data intents are tokenized by Rasa's rules, not by spaCy."""
    tokenizer = NorwegianTokenizer(NorwegianTokenizer.get_default_config())
    example = Message(data={TEXT: "hei", INTENT: "greet"})
    tokenizer.process_training_data(TrainingData([example]))
    assert [t.text for t in example.get(TOKENS_NAMES[INTENT])] == ["greet"]


def test_entity_ruler_owns_case_ref_and_keeps_topic() -> None:
    """A case number from the ruler replaces DIET's guess; other entities stay."""
    guessed = [
        {
            "entity": "case_ref",
            "value": "sak 24",
            "start": 0,
            "end": 6,
            "extractor": "DIETClassifier",
        },
        {
            "entity": "topic",
            "value": "skatepark",
            "start": 20,
            "end": 29,
            "extractor": "DIETClassifier",
        },
    ]
    ruler = NorwegianEntityRuler(NorwegianEntityRuler.get_default_config())
    [message] = ruler.process(
        [_message("sak 24/1187 om ein skatepark i kommunestyret", entities=guessed)]
    )
    found = {(e["entity"], e["value"]) for e in message.get(ENTITIES)}
    assert found == {
        ("topic", "skatepark"),
        ("case_ref", "24/1187"),
        ("committee", "kommunestyret"),
    }


def test_malform_detector_adds_and_replaces() -> None:
    """nn/nb when the text tells, nothing when it does not; it wins over other extractors."""
    detector = MalformDetector()
    told, silent, switch = detector.process(
        [
            _message(
                "kva skjer i kommunen?",
                "ask_upcoming_cases",
                [{"entity": "malform", "value": "nb", "extractor": "DIETClassifier"}],
            ),
            _message("ja", "affirm"),
            _message("kan du skrive bokmål?", "switch_malform"),
        ]
    )
    assert [(e["entity"], e["value"]) for e in told.get(ENTITIES)] == [("malform", "nn")]
    assert silent.get(ENTITIES) == []
    assert [e["value"] for e in switch.get(ENTITIES)] == ["nb"]


def test_malform_detector_leaves_training_data_alone() -> None:
    """Training examples never get a `malform` entity (DIET/CRF must not learn it)."""
    example = Message(data={TEXT: "kva er dette", INTENT: "help", ENTITIES: []})
    data = MalformDetector().process_training_data(TrainingData([example]))
    assert data.training_examples[0].get(ENTITIES) == []


def test_fingerprints_follow_the_data_files() -> None:
    """Rasa retrains the components when their data files change, not only the config."""
    from nlu.norwegian import source_fingerprint

    # The tokenizer also follows its own code: the tokens it makes are cached downstream.
    assert (NorwegianTokenizer.fingerprint_addon({}) or "").startswith(source_fingerprint())
    assert len(NorwegianTokenizer.fingerprint_addon({}) or "") == len(source_fingerprint()) + 16
    assert NorwegianEntityRuler.fingerprint_addon({}) == source_fingerprint()
    assert len(MalformDetector.fingerprint_addon({}) or "") == 64
