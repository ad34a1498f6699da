"""The citizen's own data: what is kept (`action_ask_privacy`), what happened to
their input (`action_ask_input_status`) and deleting it all (`action_ask_delete_confirmation`,
`action_delete_my_data`).

Deleting the conversation itself (Rasa's tracker) is done by the gateway after
the turn: the action server cannot delete the history Rasa is still writing,
so `action_delete_my_data` sends the control message `medverk_erase_conversation`.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import MedverkAction, malform_of, user_text
from actions.store import get_effective, get_settings
from actions.submit import clear_draft
from medverk.clock import today
from medverk.identity import sender_key
from medverk.inputs.answer_time import asks_answer_time
from medverk.inputs.delete_request import MIN_DELETE_CONFIDENCE, clearly_asks_to_delete
from medverk.inputs.draft import DRAFT_SLOTS
from medverk.inputs.privacy_text import load_privacy_text
from medverk.knowledge import participation_answer
from medverk.store.inputs_repo import count_inputs_of_sender, delete_sender_data, inputs_of_sender
from medverk.texts.dates import format_date

__all__ = [
    "ERASE_MARKER",
    "ActionAskDeleteConfirmation",
    "ActionAskInputStatus",
    "ActionAskPrivacy",
    "ActionDeleteMyData",
]

from medverk.names import ERASE_MARKER

_STATUS_LIMIT = 5


def _my_key(tracker: Tracker) -> str:
    return sender_key(get_settings().secret_key, tracker.sender_id)


def _leave_form(tracker: Tracker) -> list[EventType]:
    """Asking to delete forgets any draft in progress (the rule has ended the form)."""
    if tracker.active_loop.get("name"):
        return [ActiveLoop(None), SlotSet("requested_slot", None), *clear_draft()]
    if any(tracker.get_slot(slot) is not None for slot in DRAFT_SLOTS):
        return clear_draft()
    return []


class ActionAskPrivacy(MedverkAction):
    """Explain, from the knowledge file, what is stored, who reads it, how long, how to delete."""

    quiet_when_form_takes_message = True

    def name(self) -> str:
        return "action_ask_privacy"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        rule = await get_effective()  # the admin may have changed the retention rule
        privacy = load_privacy_text(
            get_settings().knowledge_dir,
            malform_of(tracker),
            retention_days=rule.retention_days,
            retention_mode=rule.retention_mode,
        )
        dispatcher.utter_message(**privacy.as_message())
        return []


class ActionAskInputStatus(MedverkAction):
    """List the citizen's latest inputs with their status and the officer's answer."""

    quiet_when_form_takes_message = True

    def name(self) -> str:
        return "action_ask_input_status"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if asks_answer_time(user_text(tracker)):
            directory = get_settings().knowledge_dir
            answer = participation_answer(directory, "answer_time", malform_of(tracker))
            dispatcher.utter_message(**answer.as_message())
        key = _my_key(tracker)
        inputs = await self.in_store(
            dispatcher, lambda session: inputs_of_sender(session, key, limit=_STATUS_LIMIT)
        )
        if inputs is None:
            return []
        if not inputs:
            dispatcher.utter_message(response="utter_input_status_none")
            return []
        malform = malform_of(tracker)
        dispatcher.utter_message(response="utter_input_status_intro")
        for row in inputs:
            status = row.status if row.status in ("new", "read", "answered", "hidden") else "new"
            if status == "answered" and not row.answer:
                status = "read"
            dispatcher.utter_message(
                response=f"utter_input_status_{status}",
                case_title=row.case_title or row.case_ref,
                date=format_date(row.created_at, malform, today=today(), weekday=False),
                answer=row.answer or "",
            )
        return []


PROMPTED_SLOT = "delete_prompted"


def _asks_clearly(tracker: Tracker) -> bool:
    """A button, clear words with a confident NLU, or a yes to "do you want to delete?"."""
    text = (tracker.latest_message or {}).get("text") or ""
    if text.startswith("/"):
        return True
    intent = (tracker.latest_message or {}).get("intent") or {}
    if intent.get("name") == "affirm" and tracker.get_slot(PROMPTED_SLOT) is False:
        return True
    confident = float(intent.get("confidence") or 0) >= MIN_DELETE_CONFIDENCE
    return confident and clearly_asks_to_delete(text)


class ActionAskDeleteConfirmation(MedverkAction):
    """Say what would be deleted and ask for a clear yes first."""

    def name(self) -> str:
        return "action_ask_delete_confirmation"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        events = _leave_form(tracker)
        if not _asks_clearly(tracker):
            from actions.case_details import ActionCaseDetails, names_one_case

            if not events and await names_one_case(dispatcher, tracker, or_what_happens=True):
                # "e det sant at dei skal slette nattbussen?" is about a case, not my data.
                return await ActionCaseDetails().act(dispatcher, tracker)
            dispatcher.utter_message(response="utter_delete_clarify")
            return [*events, SlotSet(PROMPTED_SLOT, False)]
        events.append(SlotSet(PROMPTED_SLOT, True))
        key = _my_key(tracker)
        count = await self.in_store(
            dispatcher, lambda session: count_inputs_of_sender(session, key)
        )
        if count is None:  # without the store nothing can be deleted: the citizen was told
            return events
        dispatcher.utter_message(response=delete_confirm_response(count), count=count)
        return events


def delete_confirm_response(count: int) -> str:
    """The confirmation that fits the number of inputs: none, one (singular) or several."""
    if count == 0:
        return "utter_delete_confirm_no_inputs"
    if count == 1:
        return "utter_delete_confirm_one"
    return "utter_delete_confirm"


def _receipt(inputs: int, messages: int) -> str:
    """The receipt that fits what was deleted (no "0 svar og meldingar")."""
    if messages:
        return "utter_delete_done"
    if inputs == 0:
        return "utter_delete_done_chat"
    return "utter_delete_done_one" if inputs == 1 else "utter_delete_done_many"


class ActionDeleteMyData(MedverkAction):
    """Delete the citizen's inputs now and ask the gateway to erase the conversation."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot(PROMPTED_SLOT) is not True:
            # A yes to the question before the prompt: now show what would be deleted.
            return [FollowupAction("action_ask_delete_confirmation")]
        key = _my_key(tracker)
        deleted = await self.in_store(
            dispatcher, lambda session: delete_sender_data(session, key), begin=True
        )
        if deleted is None:  # nothing was deleted; the citizen can ask again
            return []
        dispatcher.utter_message(
            response=_receipt(deleted.inputs, deleted.messages),
            inputs=deleted.inputs,
            messages=deleted.messages,
        )
        dispatcher.utter_message(json_message={ERASE_MARKER: True})
        return [AllSlotsReset(), SlotSet("malform", malform_of(tracker))]
