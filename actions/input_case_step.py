"""The input form's case step: an opinion written where it asks which case, and a
message with no words to find a case by (pure helpers of `actions.input_form`)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import in_store
from medverk.cases.replies import give_input_button
from medverk.clock import today
from medverk.inputs import check_input_text
from medverk.inputs.case_choice import open_cases
from medverk.inputs.form_words import points_at_case
from medverk.inputs.opinion import asks_to_give_input, looks_like_opinion

__all__ = ["ask_for_case_words", "opinion_given_for_case", "opinion_with_case"]


# A case named with this many words or more at "kva sak?" carries the opinion too.
OPINION_WITH_CASE_WORDS = 4


def opinion_given_for_case(tracker: Tracker, text: str, from_this_message: bool) -> dict[str, str]:
    """An opinion written where the form asked which case: kept as the text, not lost.

    "dei må ikkje gjere bussen dyrare, vi har ikkje råd" answers "kva sak?" with
    the opinion itself; the citizen should not have to write it again.
    """
    if not from_this_message or tracker.get_slot("requested_slot") != "input_case":
        return {}
    if tracker.get_slot("input_text") or not looks_like_opinion(text):
        return {}
    check = check_input_text(text)
    return {"input_text": check.text} if check.ok else {}


def opinion_with_case(tracker: Tracker, text: str, from_this_message: bool) -> dict[str, str]:
    """ "idrettshallen, den må ha klatrevegg" at "kva sak?": the case and the opinion at once."""
    if not from_this_message or tracker.get_slot("requested_slot") != "input_case":
        return {}
    if tracker.get_slot("input_text") or len(text.split()) < OPINION_WITH_CASE_WORDS:
        return {}
    if text.rstrip().endswith("?") or asks_to_give_input(text) or points_at_case(text):
        return {}
    check = check_input_text(text)
    return {"input_text": check.text} if check.ok else {}


async def ask_for_case_words(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """No words to find a case by: ask for a few, with the open cases as buttons."""
    items = await in_store(
        dispatcher, lambda session: open_cases(session, today()), what="ask_for_case_words"
    )
    dispatcher.utter_message(
        response="utter_input_case_need_words",
        buttons=[give_input_button(item) for item in items or []],
    )
    return {"input_case": None, "input_case_options": [i.case_ref for i in items or []] or None}
