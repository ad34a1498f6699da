"""Short answers inside the input form, personal data in an input, and clear delete words."""

from __future__ import annotations

import pytest

from medverk.inputs.delete_request import clearly_asks_to_delete
from medverk.inputs.form_words import (
    attempted_contact,
    case_change,
    changes_mind,
    confirm_answer,
    has_words,
    opinion_at_text_step,
    points_at_case,
    skips_text,
)
from medverk.inputs.personal_data import find_personal_data, without_personal_data
from medverk.texts.english import looks_english


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("send", "yes"),
        ("ja send det", "yes"),
        ("ok", "yes"),
        ("Send slik det er", "yes"),
        ("nei", "no"),
        ("send utan", "without"),
        ("send uten", "without"),
        ("Ja til forslag B, men billeg", None),
    ],
)
def test_typed_answers_at_the_confirmation(text: str, answer: str | None) -> None:
    assert confirm_answer(text) == answer


def test_skip_and_case_change_at_the_text_question() -> None:
    assert skips_text("hopp over")
    assert not skips_text("hopp over budsjettet og bruk pengane på buss")
    assert case_change("nei, eg meinte den om idrettshallen") == "idrettshallen"
    assert case_change("Nei, jeg mente saken om trafikksikkerhetsplanen") == (
        "trafikksikkerhetsplanen"
    )
    assert case_change("eg meiner bussen er for dyr") is None


def test_what_is_the_opinion_at_the_text_question() -> None:
    privacy = "Personvern må vere på plass: elevar må kunne snakke med helsesjukepleiaren."
    assert opinion_at_text_step("ask_privacy", privacy)
    assert opinion_at_text_step("ask_case_details", "kvifor er bussen så dyr? gjer han gratis")
    assert opinion_at_text_step("deny", "nei ikkje legg ned skulen vår!!")
    assert not opinion_at_text_step("ask_case_details", "når e fristen?")
    assert not opinion_at_text_step("greet", "hei")
    assert not opinion_at_text_step("thank", "takk")
    assert not opinion_at_text_step("skip", "hopp over")


def test_a_mistyped_address_is_still_an_attempt() -> None:
    assert attempted_contact("ola.nordmann@gmail")
    assert attempted_contact("912 34 56")
    assert not attempted_contact("nei takk")


def test_personal_data_is_found_and_can_be_left_out() -> None:
    text = "Ring meg på 912 34 567 eller skriv til ola@example.no. Eg bur i Fjordvegen 12."
    assert find_personal_data(text) == ["912 34 567", "ola@example.no", "Fjordvegen 12"]
    assert without_personal_data(text) == "Ring meg på […] eller skriv til […]. Eg bur i […]."
    assert find_personal_data("eg heiter Ola Nordmann og trenar handball") == ["Ola Nordmann"]
    assert find_personal_data("bussen kostar 45 kr, 2 turar om dagen i 2027") == []


@pytest.mark.parametrize(
    ("text", "clear"),
    [
        ("slett dataa mine", True),
        ("Jeg vil at dere sletter alt om meg.", True),
        ("glem meg", True),
        ("fjern innspillet mitt", True),
        ("eg angra litt på det eg skreiv", False),
        ("e det sant at dei skal slette nattbussen?", False),
    ],
)
def test_delete_needs_clear_words(text: str, clear: bool) -> None:
    assert clearly_asks_to_delete(text) is clear


def test_english_is_told_from_norwegian() -> None:
    assert looks_english("hello, do you speak english?")
    assert looks_english("What cases are coming up in the municipality?")
    assert not looks_english("ok takk")
    assert not looks_english("ja send det")
    assert not looks_english("kva er det du kan?")


def test_stop_goodbye_and_answer_time_need_their_own_words() -> None:
    from medverk.inputs.answer_time import asks_answer_time
    from medverk.inputs.form_words import clearly_stops
    from medverk.texts.goodbye import says_goodbye

    assert clearly_stops("avbryt") and clearly_stops("glem det")
    assert not clearly_stops("banan") and not clearly_stops("den andre")
    assert says_goodbye("ok takk ha det") and says_goodbye("snakkast")
    assert not says_goodbye("blir det nattbuss i helgene?")
    assert asks_answer_time("når får eg svar på innspelet mitt?")
    assert asks_answer_time("Når kan jeg forvente svar?")
    assert not asks_answer_time("når er møtet?")


@pytest.mark.parametrize(
    "text",
    ["nei vent, eg angrar", "jeg angrer", "har ombestemt meg", "gidd ikkje likevel", "vent litt"],
)
def test_a_change_of_mind_is_not_an_opinion(text: str) -> None:
    """Someone who regrets is asked whether to cancel; the words are never stored as input."""
    assert changes_mind(text)
    assert not opinion_at_text_step("deny", text)


def test_a_long_opinion_with_regret_words_stays_an_opinion() -> None:
    opinion = "eg angrar at eg ikkje sa noko før, bussen er altfor dyr for oss som bur langt ute"
    assert not changes_mind(opinion)
    assert not changes_mind("bussen må bli billegare")


def test_emoji_and_punctuation_have_no_words() -> None:
    assert not has_words("🙂🙂")
    assert not has_words("...!?")
    assert has_words("ok 🙂")
    assert has_words("26/411")


def test_words_that_point_at_a_case_are_not_an_opinion() -> None:
    assert points_at_case("den om gratis buss")
    assert points_at_case("Saken med idrettshallen")
    assert not points_at_case("det må bli gratis buss for alle")
