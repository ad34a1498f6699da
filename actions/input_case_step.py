"""The input form's case step (helpers of `actions.input_form`): an opinion written where
it asks which case (or, later, where it asks for the age), a message with no words to
find a case by, and the slots or the explanation for the case it found or did not find."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import in_store, malform_of
from medverk.cases.caseref import display_case_ref
from medverk.cases.followup import followup_topic
from medverk.cases.input_window import ClosedReason, closed_reason
from medverk.cases.replies import case_facts, give_input_button
from medverk.clock import today
from medverk.inputs import check_input_text
from medverk.inputs.case_choice import CaseChoice, open_cases
from medverk.inputs.form_words import changes_mind, confirm_answer, has_words, points_at_case
from medverk.inputs.opinion import adds_to_opinion, asks_to_give_input, looks_like_opinion
from medverk.store.models import AgendaItem
from medverk.texts import format_date

__all__ = [
    "added_opinion",
    "ask_back_instead",
    "ask_for_case_words",
    "case_found_slots",
    "explain_no_case",
    "opinion_given_for_case",
    "opinion_with_case",
]


# Why a case the person named takes no input: its deadline passed, it is decided, or its
# meeting has been.
_CLOSED_RESPONSES: dict[ClosedReason, str] = {
    "deadline_passed": "utter_input_case_closed_deadline",
    "decided": "utter_input_case_closed_decided",
    "meeting_passed": "utter_input_case_closed",
}

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


def added_opinion(
    dispatcher: CollectingDispatcher, tracker: Tracker, slot_value: Any
) -> dict[str, str]:
    """More of the opinion written where the form asks for the age: added to the input
    text (shown again before sending), never thrown away as an unclear answer."""
    text = str(slot_value or "").strip()
    latest = ((tracker.latest_message or {}).get("text") or "").strip()
    written = tracker.get_slot("input_text")
    if text != latest or not written or not adds_to_opinion(text):
        return {}
    check = check_input_text(f"{written}\n{text}")
    if not check.ok:
        return {}
    dispatcher.utter_message(response="utter_input_text_added")
    return {"input_text": check.text}


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


async def ask_back_instead(dispatcher: CollectingDispatcher, text: str) -> dict[str, Any] | None:
    """A change of mind or no words where the form asks which case: asked back; else None."""
    if changes_mind(text):
        # "har ombestemt meg" where the form asks which case: ask whether to cancel.
        dispatcher.utter_message(response="utter_input_confirm_cancel")
        return {"input_case": None}
    if not has_words(text) or confirm_answer(text) == "yes":
        # "🙂🙂" or a bare "ja" where the form asks which case: say kindly that it needs
        # a case (not "found no open case about that"). A bare "nei" goes to
        # `ActionInputNotUnderstood`, which asks whether to cancel.
        return await ask_for_case_words(dispatcher)
    return None


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


def case_found_slots(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    item: AgendaItem,
    shown_title: str | None,
    text: str,
) -> dict[str, Any]:
    """The slots of a found case (and its deadline when the message asked for it)."""
    latest = (tracker.latest_message or {}).get("text") or ""
    asked_now = tracker.get_slot("requested_slot") in (None, "input_case")
    if asked_now and item.hearing_deadline and followup_topic(latest) == "deadline":
        # "kan eg framleis seie noko om idrettshallen?": the deadline, then the question.
        facts = case_facts(item, malform_of(tracker), today())
        dispatcher.utter_message(response="utter_case_deadline_open", **facts)
    # The form then asks "Kva vil du seie om «…»?", which shows the case it found.
    return {
        **opinion_with_case(tracker, text, text == latest.strip()),
        "case_in_focus": item.case_ref,
        "input_case": item.case_ref,
        "input_case_title": item.title,
        "input_case_title_shown": shown_title or item.title,
        "input_committee": item.committee,
        "input_case_options": None,
    }


def explain_no_case(dispatcher: CollectingDispatcher, choice: CaseChoice, malform: str) -> None:
    """Why no case was taken (unclear, closed and why, unknown number, no match), with the
    open cases."""
    buttons = [give_input_button(item) for item in choice.candidates]
    if choice.outcome == "ambiguous":
        dispatcher.utter_message(response="utter_input_case_ambiguous", buttons=buttons)
    elif not buttons:
        dispatcher.utter_message(response="utter_input_no_open_cases")
    elif choice.outcome == "closed" and choice.item is not None:
        item = choice.item
        deadline = item.hearing_deadline
        dispatcher.utter_message(
            response=_CLOSED_RESPONSES[closed_reason(item, today())],
            buttons=buttons,
            case_title=item.title,
            deadline=format_date(deadline, malform) if deadline else "",
        )
    elif choice.outcome == "unknown_ref":
        dispatcher.utter_message(
            response="utter_input_case_unknown_ref",
            buttons=buttons,
            case_ref=display_case_ref(choice.case_ref or ""),
        )
    else:
        dispatcher.utter_message(response="utter_input_case_no_match", buttons=buttons)
