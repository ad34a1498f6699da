"""Storing the confirmed input (`action_submit_input`) and cancelling the form.

The input is written in one transaction before the citizen is told it
arrived. When the store is down the draft stays in the slots and a retry
(`retry_submit`) stores it exactly once, thanks to its idempotency key.
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import MedverkAction, intent_of
from actions.form_turn import ask_to_cancel
from actions.store import get_sessionmaker, get_settings, latest_effective
from medverk.inputs import InputDraft, StoreUnavailable, submit_input
from medverk.inputs.draft import DRAFT_SLOTS
from medverk.inputs.form_words import changes_mind, clearly_stops
from medverk.inputs.text import check_input_text

__all__ = ["ActionCancelInput", "ActionSubmitInput", "clear_draft", "opinion_in_stop_message"]

log = logging.getLogger(__name__)

# One quick second try hides a blip (a restarted pool, a failover) from the citizen.
RETRY_DELAY_SECONDS = 0.5
# "stopp", "eg vil ikkje likevel": commands are short. Longer messages at the
# text question may be the opinion itself and are not thrown away.
MIN_WORDS_OF_AN_OPINION = 5


def clear_draft() -> list[EventType]:
    """Events that forget the draft once it is stored, discarded or cancelled."""
    return [SlotSet(slot, None) for slot in DRAFT_SLOTS]


class ActionSubmitInput(MedverkAction):
    """Store the confirmed draft once, then tell the citizen; keep it if storing fails."""

    # A typed "send" at the confirmation can sound like "retry": the form takes it.
    hands_message_to_form = True

    def name(self) -> str:
        return "action_submit_input"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        confirm = tracker.get_slot("input_confirm")
        if confirm == "no":
            dispatcher.utter_message(response="utter_input_discarded")
            return clear_draft()
        settings = get_settings()
        try:
            draft = InputDraft.from_slots(tracker.slots, latest_effective().default_malform)
        except ValueError:
            draft = None
        if confirm != "yes" or draft is None:
            if intent_of(tracker) == "retry_submit":
                dispatcher.utter_message(response="utter_input_nothing_to_send")
            # Otherwise the form ended without a draft (no open cases): already said.
            return clear_draft()
        for attempt in range(2):
            try:
                result = await submit_input(
                    get_sessionmaker(),
                    draft,
                    sender_id=tracker.sender_id,
                    secret=settings.secret_key,
                )
                break
            except StoreUnavailable:
                if attempt == 0:
                    await asyncio.sleep(RETRY_DELAY_SECONDS)
                    continue
                log.warning("input kept in the conversation: the store is unavailable")
                dispatcher.utter_message(response="utter_input_store_failed")
                return [SlotSet("input_store_failed", True)]
        dispatcher.utter_message(
            response="utter_input_received", case_title=draft.case_title, input_id=result.input_id
        )
        return clear_draft()


class ActionCancelInput(MedverkAction):
    """Stop the form on "avbryt"/"stopp" and forget the draft.

    An opinion that starts like a command ("avbryt nedlegginga av skulen, det er
    feil") must not be thrown away: when the form waits for the text and the
    message is long enough to be one, the form stops but the text is kept, and
    the citizen chooses between cancelling and using it.
    """

    # "den andre" or a mistyped e-mail heard as stop: the form takes it, nothing is cancelled.
    hands_message_to_form = True

    def name(self) -> str:
        return "action_cancel_input"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.active_loop.get("name") == "input_form":
            kept = opinion_in_stop_message(tracker)
            if kept is not None:
                dispatcher.utter_message(response="utter_stop_or_use_text")
                return [
                    ActiveLoop(None),
                    SlotSet("requested_slot", None),
                    SlotSet("input_text", kept),
                ]
            text = str(tracker.latest_message.get("text") or "")
            if not text.startswith("/") and changes_mind(text) and not clearly_stops(text):
                return ask_to_cancel(dispatcher)  # "nei vent, eg angrar": ask, keep the draft
            if not text.startswith("/") and not clearly_stops(text):
                # "banan" heard as stop: ask again (the prompt says how to stop), keep the draft.
                dispatcher.utter_message(response="utter_input_not_understood")
                return [FollowupAction("input_form")]
            dispatcher.utter_message(response="utter_input_cancelled")
            return [ActiveLoop(None), SlotSet("requested_slot", None), *clear_draft()]
        if tracker.get_slot("input_store_failed") or any(
            tracker.get_slot(slot) for slot in ("input_case", "input_text")
        ):
            dispatcher.utter_message(response="utter_input_cancelled")
            return clear_draft()
        dispatcher.utter_message(response="utter_stop_nothing_running")
        return []


def opinion_in_stop_message(tracker: Tracker) -> str | None:
    """The text of a "stop" message that may be the opinion the form asked for."""
    if tracker.get_slot("requested_slot") != "input_text":
        return None
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/") or len(text.split()) < MIN_WORDS_OF_AN_OPINION:
        return None
    check = check_input_text(text)
    return check.text if check.ok else None
