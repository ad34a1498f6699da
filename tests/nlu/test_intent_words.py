"""Words that overrule a costly intent guess (nlu.intent_words)."""

from __future__ import annotations

import pytest

from nlu.intent_words import asks_about_case, names_case_only, soft_delete


@pytest.mark.parametrize(
    "text",
    [
        "Jeg lurer på saken om gratis buss for ungdom under 20 år.",
        "eg vil vite meir om sak 2026/421",
        "Stemmer det at kommunen vil bygge ny idrettshall?",
        "kan du fortelje om skateparken",
    ],
)
def test_questions_about_a_case(text: str) -> None:
    assert asks_about_case(text)


@pytest.mark.parametrize(
    "text",
    [
        "eg lurer på korleis eg gir innspel",
        "jeg vil si meningen min om bussen",
        "bussen er for dyr",
    ],
)
def test_someone_giving_their_view_is_not_asking(text: str) -> None:
    assert not asks_about_case(text)


def test_a_case_named_and_nothing_said_about_it() -> None:
    assert names_case_only("gratis buss?")
    assert names_case_only("gratis buss 🚌🚌")
    assert not names_case_only("bussen må bli gratis")
    assert not names_case_only("innspel på idrettshallen")
    assert not names_case_only("🙂")


def test_soft_delete_words() -> None:
    assert soft_delete("kan eg ta vekk noko?")
    assert soft_delete("korleis fjernar eg det eg sende")
    assert not soft_delete("kan de slette nattbussen?")
    assert not soft_delete("kva skjer med bussen")


def test_a_case_question_about_removing_something_is_not_about_deleting() -> None:
    """ "e det sant at dei skal fjerne nattbussen?" asks about a case, not about my data."""
    assert not soft_delete("e det sant at dei skal fjerne nattbussen?")
