"""Whether the open input form takes the latest message as its answer, and the form's
"not understood" that stays quiet when it does.

Actions that an interruption rule runs inside the form (`MedverkAction` with
`quiet_when_form_takes_message` / `hands_message_to_form`) ask `form_takes_message`
first, so a typed "send", "den andre", a mistyped e-mail or an opinion that NLU
heard as something else goes to the form and is never thrown away.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import MedverkAction, intent_of
from medverk.cases.list_reference import pick_from_list
from medverk.inputs import parse_age_group
from medverk.inputs.form_words import (
    attempted_contact,
    case_change,
    changes_mind,
    confirm_answer,
    opinion_at_text_step,
)

__all__ = [
    "ActionInputNotUnderstood",
    "ask_to_cancel",
    "form_already_answered",
    "form_takes_message",
]

_SAME_TURN_ACTIONS = frozenset({"input_form", "action_extract_slots"})


def form_already_answered(tracker: Tracker) -> bool:
    """True when this run of the form already replied (its validation explained a problem).

    Replies of another action (e.g. the privacy answer before the form resumes)
    come after that action's own `action` event and do not count. The form's own
    `action` event (logged before its validation's replies) and Rasa's
    `action_extract_slots` do not end the turn.
    """
    spoke = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "bot":
            spoke = True
        elif kind == "action" and event.get("name") in _SAME_TURN_ACTIONS:
            continue
        elif kind in ("action", "user"):
            return spoke and kind == "user"
    return spoke


def form_takes_message(tracker: Tracker) -> bool:
    """Whether the open form will take the latest message as the answer it asks for.

    Then an interruption NLU thought it heard ("den andre" as stop, an opinion
    with "personvern" as a privacy question, a mistyped e-mail as stop) stays
    quiet and the form goes on with what the person wrote.
    """
    if tracker.active_loop.get("name") != "input_form":
        return False
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not text or text.startswith("/"):
        return False
    requested = tracker.get_slot("requested_slot")
    if requested == "input_case":
        return pick_from_list(text, tracker.get_slot("input_case_options")) is not None
    if requested == "input_text":
        return opinion_at_text_step(intent_of(tracker), text) or case_change(text) is not None
    if requested == "input_confirm":
        return confirm_answer(text) is not None
    if requested in ("input_contact", "input_contact_consent"):
        return attempted_contact(text)
    if requested == "input_age_group":
        return parse_age_group(text) is not None
    return False


class ActionInputNotUnderstood(MedverkAction):
    """In the form: "not understood, I ask again", unless the form takes the message
    (a typed "send", a mistyped e-mail, an opinion) or it is a question about the case."""

    yields_to_case_questions = True

    def name(self) -> str:
        return "action_input_not_understood"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        asks_case = tracker.get_slot("requested_slot") == "input_case"
        if changes_mind(text) or (asks_case and confirm_answer(text) == "no"):
            # "nei vent, eg angrar", or a bare "nei" to "kva sak?": cancel or go on?
            return ask_to_cancel(dispatcher)
        if not form_takes_message(tracker):
            dispatcher.utter_message(response="utter_input_not_understood")
        return []


def ask_to_cancel(dispatcher: CollectingDispatcher) -> list[EventType]:
    """ "nei vent, eg angrar": ask whether to cancel; the draft is kept for "hald fram".

    The form pauses (its slots stay), so the "go on" button (`/give_input`) starts it
    again where it stopped, and "avbryt" (`/stop`) forgets the draft.
    """
    dispatcher.utter_message(response="utter_input_confirm_cancel")
    return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]
