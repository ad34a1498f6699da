"""An uncertain give_input or delete_my_data becomes one clarifying question."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.clarify import UncertainIntentClarifier, clarifying_intent, looks_like_a_question


def _ranking(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_confident_give_input_starts_the_form() -> None:
    """High confidence and a clear lead: no question, the intent stays."""
    assert (
        clarifying_intent(_ranking(("give_input", 0.8), ("ask_case_details", 0.1)), 0.5, 0.2)
        is None
    )


def test_low_confidence_or_small_margin_asks() -> None:
    """Below the threshold, or too close to the runner-up: ask which one is meant."""
    low = _ranking(("give_input", 0.4), ("ask_case_details", 0.1))
    close = _ranking(("give_input", 0.6), ("ask_case_details", 0.5))
    assert clarifying_intent(low, 0.5, 0.2) == "clarify_input_or_question"
    assert clarifying_intent(close, 0.5, 0.2) == "clarify_input_or_question"
    unsure_delete = _ranking(("delete_my_data", 0.45), ("ask_privacy", 0.4))
    assert clarifying_intent(unsure_delete, 0.5, 0.2) == "clarify_delete"


def test_other_intents_are_never_touched() -> None:
    """An uncertain question is not costly: it keeps its intent."""
    assert (
        clarifying_intent(_ranking(("ask_case_details", 0.3), ("give_input", 0.29)), 0.5, 0.2)
        is None
    )
    assert clarifying_intent([], 0.5, 0.2) is None


def test_component_rewrites_intent_and_ranking() -> None:
    """The message gets the clarifying intent first in its ranking."""
    component = UncertainIntentClarifier({"threshold": 0.5, "margin": 0.2})
    message = Message({TEXT: "om skateparken"})
    ranking = _ranking(("give_input", 0.42), ("ask_case_details", 0.38))
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    (result,) = component.process([message])
    assert result.get(INTENT)["name"] == "clarify_input_or_question"
    assert result.get(INTENT_RANKING_KEY)[0]["name"] == "clarify_input_or_question"
    assert [r["name"] for r in result.get(INTENT_RANKING_KEY)[1:]] == [
        "give_input",
        "ask_case_details",
    ]


def test_questions_and_reports_look_like_questions() -> None:
    """A question mark, a question word first, or a cue such as "lurer"/"sendte"."""
    assert looks_like_a_question("kan ungdomsrådet meine noko om bussen")
    assert looks_like_a_question("Hvorfor skal de legge ned skolen")
    assert looks_like_a_question("bygg hallen?")
    assert looks_like_a_question("eg lurer litt på skulen")
    assert looks_like_a_question("jeg sendte noe om bussen for lenge siden")
    assert not looks_like_a_question("bygg skateparken no!!")
    assert not looks_like_a_question("eg meiner bussen må gå oftare")
    assert not looks_like_a_question("🙂")


def test_give_input_that_looks_like_a_question_needs_more_confidence() -> None:
    """0.8 is enough for a statement, not for a question: the person is asked."""
    ranking = _ranking(("give_input", 0.8), ("ask_youth_council", 0.1))
    statement = "ungdomsrådet må få seie meininga si"
    question = "får ungdomsrådet seie meininga si?"
    assert clarifying_intent(ranking, 0.6, 0.2, statement, 0.9) is None
    assert clarifying_intent(ranking, 0.6, 0.2, question, 0.9) == "clarify_input_or_question"
    assert clarifying_intent(_ranking(("give_input", 0.95)), 0.6, 0.2, question, 0.9) is None
    delete = _ranking(("delete_my_data", 0.8), ("ask_privacy", 0.1))
    assert clarifying_intent(delete, 0.6, 0.2, "kan de slette alt?", 0.9) is None


def test_component_asks_on_a_question_shaped_give_input() -> None:
    """The component passes the message text on to the question check."""
    component = UncertainIntentClarifier(
        {"threshold": 0.6, "margin": 0.2, "question_threshold": 0.9}
    )
    message = Message({TEXT: "har ungdomsrådet noko å seie om bussen?"})
    ranking = _ranking(("give_input", 0.85), ("ask_youth_council", 0.1))
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    (result,) = component.process([message])
    assert result.get(INTENT)["name"] == "clarify_input_or_question"


def test_a_question_about_a_case_is_never_the_form() -> None:
    """ "Jeg lurer på saken om …" heard as give_input, even surely: answered as a question."""
    sure = _ranking(("give_input", 0.86), ("ask_case_details", 0.09), ("help", 0.02))
    text = "Jeg lurer på saken om gratis buss for ungdom under 20 år."
    assert clarifying_intent(sure, 0.6, 0.2, text) == "ask_case_details"
    # Wanting to say something stays give_input.
    assert clarifying_intent(sure, 0.6, 0.2, "eg vil seie meininga mi om bussen") is None


def test_a_case_named_alone_is_shown_instead_of_asking() -> None:
    unsure = _ranking(("give_input", 0.31), ("ask_case_details", 0.25), ("greet", 0.1))
    assert clarifying_intent(unsure, 0.6, 0.2, "gratis buss?") == "ask_case_details"
    assert clarifying_intent(unsure, 0.6, 0.2, "bussen må bli billigere") == (
        "clarify_input_or_question"
    )


def test_maybe_deleting_asks_first_whatever_nlu_guessed() -> None:
    heard = _ranking(("help", 0.25), ("delete_my_data", 0.17), ("ask_contact_person", 0.12))
    assert clarifying_intent(heard, 0.6, 0.2, "kan eg ta vekk noko?") == "clarify_delete"
    assert clarifying_intent(heard, 0.6, 0.2, "kva kan du hjelpe med?") is None
