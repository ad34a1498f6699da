"""The Norwegian spaCy pipeline: lemmas (Bokmål + Nynorsk + dialect) and the entity ruler."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.norwegian import (
    build_pipeline,
    committee_names,
    find_entities,
    lemma_table,
    lemmas,
    load_pipeline,
    municipality_names,
    source_fingerprint,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saka", ["sak"]),  # Nynorsk, capitalised
        ("sakene", ["sak"]),
        ("saken", ["sak"]),  # Bokmål, corrected from the table's "sake"
        ("høyringane", ["høyring"]),
        ("høringen", ["høyring"]),  # Bokmål gets the Nynorsk lemma (round 5)
        ("innspela", ["innspel"]),
        ("kommunen", ["kommune"]),  # from the Bokmål table
        ("ka", ["kva"]),  # dialect
        ("koss", ["korleis"]),
        ("æ", ["eg"]),
        ("ungdomsrådet", ["ungdomsråd"]),
    ],
)
def test_lemmas(text: str, expected: list[str]) -> None:
    """Nynorsk and Bokmål forms and dialect spellings get the project's lemma."""
    assert lemmas(text) == expected


@pytest.mark.parametrize(
    ("bokmal", "nynorsk"),
    [
        ("hva mener du om høringen", "kva meiner du om høyringa"),
        ("hvem kan jeg snakke med", "kven kan eg snakke med"),
        ("hvordan sier jeg meningen min", "korleis seier eg meininga mi"),
        ("ikke slett innspillet", "ikkje slett innspelet"),
        ("hvorfor skriver du ikke", "kvifor skriv du ikkje"),
    ],
)
def test_bokmal_and_nynorsk_share_lemmas(bokmal: str, nynorsk: str) -> None:
    """A Bokmål sentence and its Nynorsk twin get the same lemmas, so an example in one
    målform teaches the classifier the other."""
    assert lemmas(bokmal) == lemmas(nynorsk)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mener", ["meine"]),  # the Bokmål table read it as "men"
        ("et", ["eit"]),  # the article, not the verb "ete"
        ("snakker", ["snakke"]),
        ("skriver", ["skrive"]),
        ("funker", ["funke"]),
    ],
)
def test_bokmal_present_tense_verbs_get_their_verb(text: str, expected: list[str]) -> None:
    """Present-tense verbs the Bokmål table left alone or read as nouns."""
    assert lemmas(text) == expected


def test_lemmas_drop_punctuation_and_keep_emoji() -> None:
    """Punctuation is no word; emoji stay, they carry meaning."""
    assert lemmas("ja!! 👍") == ["ja", "👍"]


def test_extra_lemmas_override_the_bokmal_table() -> None:
    """The project's file wins where the Bokmål table is wrong for us."""
    table = lemma_table()
    assert table["saken"] == "sak"
    assert "sak" not in table  # forms that are their own lemma are left out
    assert len(table) > 400_000


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("kva handlar 24/1187 om?", [("case_ref", "24/1187")]),
        ("sak 2024/1187, takk", [("case_ref", "2024/1187")]),
        (
            "Kommunestyret og ungdomsrådet",
            [("committee", "Kommunestyret"), ("committee", "ungdomsrådet")],
        ),
        ("hovudutval for oppvekst", [("committee", "hovudutval for oppvekst")]),
        ("saker i Eksempelvik kommune", [("municipality", "Eksempelvik kommune")]),
        ("bur du i eksempelvik?", [("municipality", "eksempelvik")]),
        ("1187 og 24/ og 123/45", []),  # not case numbers
    ],
)
def test_entity_ruler(text: str, found: list[tuple[str, str]]) -> None:
    """Case numbers, committees and the municipality of the case data are found."""
    assert [(e.label, e.text) for e in find_entities(text)] == found


def test_names_come_from_the_case_data(tmp_path: Path) -> None:
    """Committees and municipalities are read from eInnsyn-shaped JSON in the cases folder."""
    (tmp_path / "x.json").write_text(
        json.dumps(
            {
                "kommune": "Testvik kommune",
                "items": [{"utvalg": "Levekårsutvalet", "moetesak": [{"utvalg": "Bylaben"}]}],
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert municipality_names(tmp_path) == ["Testvik kommune"]
    assert {"levekårsutvalet", "bylaben", "kommunestyret"} <= set(committee_names(tmp_path))
    nlp = build_pipeline(tmp_path)
    doc = nlp("Kva skjer i Testvik og i Bylaben?")
    assert [(e.label_, e.text) for e in doc.ents] == [
        ("municipality", "Testvik"),
        ("committee", "Bylaben"),
    ]


def test_cache_is_rebuilt_when_a_source_changes(tmp_path: Path) -> None:
    """The cached pipeline is reused while the sources are the same, rebuilt when they change."""
    cases = tmp_path / "cases"
    cases.mkdir()
    cache = tmp_path / "cache"
    first = load_pipeline(cache, cases)
    assert (cache / "medverk_fingerprint.txt").read_text() == source_fingerprint(cases)
    again = load_pipeline(cache, cases)
    assert again.path == cache and [t.lemma_ for t in again("saka")] == ["sak"]
    (cases / "a.json").write_text('{"kommune": "Nyvik kommune"}', encoding="utf-8")
    rebuilt = load_pipeline(cache, cases)
    assert rebuilt is not first
    assert [e.label_ for e in rebuilt("i Nyvik").ents] == ["municipality"]
    assert (cache / "medverk_fingerprint.txt").read_text() == source_fingerprint(cases)
