"""Målform detection on its own labelled data set, and its rules one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.malform import malform_for
from nlu.malform_detection import (
    detect_malform,
    mentioned_malforms,
    requested_malform,
    score_malform,
)

CASES = Path(__file__).with_name("malform_cases.tsv")


def _cases() -> list[tuple[str, str | None, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            intent, expected, text = line.split("\t")
            rows.append((intent, None if expected == "-" else expected, text))
    return rows


def test_the_data_set_is_big_enough_and_balanced() -> None:
    """The labelled set covers both målformer and silent messages."""
    expected = [e for _, e, _ in _cases()]
    assert len(expected) >= 100
    assert expected.count("nn") >= 35 and expected.count("nb") >= 35 and expected.count(None) >= 15


def test_accuracy_on_messages_that_tell_is_at_least_98_percent() -> None:
    """On messages that tell (or ask for) a målform, at least 98 % get the right one."""
    telling = [(i, e, t) for i, e, t in _cases() if e is not None]
    wrong = [(t, e, malform_for(t, i)) for i, e, t in telling if malform_for(t, i) != e]
    assert 1 - len(wrong) / len(telling) >= 0.98, wrong


def test_messages_that_do_not_tell_are_left_alone() -> None:
    """ "ja", "hei", "ok", emoji and the like give no målform, so the slot keeps its value."""
    silent = [(i, t) for i, e, t in _cases() if e is None]
    assert [t for i, t in silent if malform_for(t, i) is not None] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ikkej", "nn"),  # neighbour swap of ikkje
        ("korleiss", "nn"),  # one letter too many
        ("hvordna", "nb"),
        ("KVA ER DETTE", "nn"),  # shouting still tells
        ("dei sel tomta", "nn"),
        ("det er vanleg", "nn"),  # -leg ending
        ("det er vanlig", "nb"),  # -lig ending
    ],
)
def test_typos_case_and_endings(text: str, expected: str) -> None:
    """Misspelt markers, upper case and telling endings are read."""
    assert detect_malform(text) == expected


def test_a_tie_tells_nothing() -> None:
    """Equal evidence for both målformer gives None instead of a guess."""
    score = score_malform("eg jeg")
    assert score.nn == score.nb
    assert detect_malform("eg jeg") is None


def test_malform_names_are_not_evidence_for_the_writer() -> None:
    """ "nynorsk" in a Bokmål sentence names a wish; the words around it decide detection."""
    assert detect_malform("jeg liker nynorsk") == "nb"
    assert mentioned_malforms("bokmål eller nynorsk?") == [(0, "nb"), (13, "nn")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kan du skrive bokmål?", "nb"),
        ("ikkje bokmål, nynorsk!", "nn"),
        ("ikke nynorsk", "nb"),
        ("frå bokmål til nynorsk", "nn"),
        ("byt målform", None),
        ("hei", None),
    ],
)
def test_requested_malform(text: str, expected: str | None) -> None:
    """The målform asked for, minding negation and "frå … til"."""
    assert requested_malform(text) == expected


def test_switch_intent_uses_the_request_not_the_writing() -> None:
    """A Nynorsk request for Bokmål gives nb; the same text as another intent too."""
    assert malform_for("kan du skrive bokmål?", "switch_malform") == "nb"
    assert malform_for("kan du skrive bokmål?", "help") == "nb"
    assert malform_for("byt målform", "switch_malform") is None
    assert malform_for("kva er ungdomsrådet", "ask_youth_council") == "nn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ola.nordmann@example.no", None),
        ("sjå https://eksempelvik.no/sak/2026-210", "nn"),
        ("se www.eksempelvik.no", "nb"),
        ("eksempelvik.no", None),
        ("nei, ikkje no", "nn"),  # a real "no" still counts
    ],
)
def test_addresses_are_no_evidence(text: str, expected: str | None) -> None:
    """E-mail and web addresses do not tell the målform (".no" is a domain, not "no")."""
    assert detect_malform(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vi tek det vidare", "nn"),
        ("vi tar det videre", "nb"),
        ("køyr på", "nn"),
        ("kjør på", "nb"),
        ("komande saker", "nn"),
        ("hvis det går", "nb"),
        ("lurar på noko", "nn"),
    ],
)
def test_words_only_one_malform_has(text: str, expected: str) -> None:
    """Hand markers and the word-list markers (wnorwegian) tell these apart."""
    assert detect_malform(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "ver så snill" is Nynorsk; "snill" alone tells nothing.
        ("ver grei og svar meg", "nn"),
        ("vær grei og svar meg", "nb"),
        ("er du snill", None),
        ("det tok tre veker", "nn"),
        ("det tok tre uker", "nb"),
        ("dei har eigne reglar", "nn"),
        ("de har egne regler", "nb"),
        ("dei blei flytta", "nn"),
        ("de ble flyttet", "nb"),
        ("er symjehallen open", "nn"),
        ("er svømmehallen åpen", "nb"),
        ("difor spør eg", "nn"),
        ("derfor spør jeg", "nb"),
    ],
)
def test_markers_added_in_round_four(text: str, expected: str | None) -> None:
    """Words only one målform has, added after set C (issue 18)."""
    assert detect_malform(text) == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        # "i staden for X" does not ask for X.
        ("kan du skrive bokmål i staden for nynorsk", "switch_malform", "nb"),
        ("svar på nynorsk istedenfor bokmål", "switch_malform", "nn"),
        ("skriv heller bokmål enn nynorsk", "switch_malform", "nb"),
        ("bruk bokmål i stedet for nynorsk", "switch_malform", "nb"),
        # A compound about the målform asks for nothing: the writing tells.
        ("eg likar nynorskstilen din", "thank", "nn"),
        ("jeg liker bokmålsordboka", "thank", "nb"),
        # "no" is Nynorsk "now", not a negation.
        ("kan du skrive nynorsk no?", "switch_malform", "nn"),
    ],
)
def test_instead_of_and_compounds(text: str, intent: str, expected: str) -> None:
    """Requests mind "i staden for"; compounds with a målform name are no request."""
    assert malform_for(text, intent) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A written standard word outweighs dialect spellings (Trøndersk in Bokmål) ...
        ("ka e det du kan hjelpe mæ med egentlig", "nb"),
        ("nei, itj nå", "nb"),
        # ... and alone, or with Nynorsk words, the dialect still leans Nynorsk.
        ("ka skjer", "nn"),
        ("itj no", "nn"),
        ("ka e det du kan hjelpe mæ med eigentleg", "nn"),
    ],
)
def test_dialect_spellings_weigh_less_than_written_words(text: str, expected: str) -> None:
    """Dialect markers (ka, itj, mæ) count below 1, standard-form markers 1.5-2."""
    assert detect_malform(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no thanks", None),
        ("tell me a joke", None),
        ("no problem, eg fiksar det", "nn"),  # the Nynorsk words still tell
        ("no, eg vil ikkje", "nn"),
    ],
)
def test_english_no_and_me_are_not_nynorsk(text: str, expected: str | None) -> None:
    """ "no" and "me" among English words are English, not Nynorsk "no"/"me"."""
    assert detect_malform(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ordføreren", "nb"),  # "ordfører*" and its compounds
        ("ordføraren", "nn"),
        ("hei medverk", None),  # the assistant's name tells nothing
        ("idrettshallen, den må ha klatrevegg", None),  # no word tells
        ("lærerne sa det", "nb"),  # -erne (Nynorsk -arane)
        ("i sommaren", "nn"),  # -aren (Bokmål -eren)
    ],
)
def test_compound_markers_and_endings(text: str, expected: str | None) -> None:
    """Compound markers and the -erne/-aren endings tell; other words do not."""
    assert detect_malform(text) == expected


def test_a_misspelt_marker_weighs_less_than_a_dialect_word() -> None:
    """ "egentli" is one letter from Bokmål "egentlig", but "ka" (dialect) decides."""
    score = score_malform("ka kan du egentli")
    assert score.nn > score.nb > 0
    assert detect_malform("ka kan du egentli") == "nn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A negation after a modal and its subject is a polite request, not a refusal.
        ("kan du ikkje skrive nynorsk?", "nn"),
        ("kan du ikke skrive bokmål?", "nb"),
        ("kunne dere ikke bytte til bokmål", "nb"),
        # Still a refusal: "du skal ikkje skrive bokmål", "ikkje nynorsk".
        ("du skal ikkje skrive bokmål", "nn"),
        # A why-question about a målform complains about it ...
        ("hvorfor skriver du nynorsk, jeg skjønner ingenting", "nb"),
        ("kvifor er alt på bokmål her?", "nn"),
        # ... and with a negation wishes for it.
        ("kvifor skriv du ikkje nynorsk?", "nn"),
        ("hvorfor kan jeg ikke få bokmål", "nb"),
        # "i staden for" and negation together still mean: not that one.
        ("skriv nynorsk i staden for bokmål, ikkje omvendt", "nn"),
    ],
)
def test_polite_negation_and_why_questions(text: str, expected: str) -> None:
    """ "kan du ikkje …?" asks for the målform; "kvifor skriv du X?" asks for the other."""
    assert requested_malform(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "alert" is a Bokmål word: inside a script it is not the writer's.
        ("<script>alert('hei')</script><b>hei</b>", None),
        ("<script>alert(1)</script>", None),
        ("<b>kva skjer</b> med bussen", "nn"),
        ("<i>hva skjer</i> med bussen", "nb"),
        ('<a href="https://eksempelvik.kommune.no/hvordan">ikkje bokmål</a>', "nn"),
    ],
)
def test_only_visible_text_tells_the_malform(text: str, expected: str | None) -> None:
    assert malform_for(text, "greet") == expected
