"""Storing the confirmed input (`action_submit_input`) and cancelling the form.

The input is written in one transaction before the citizen is told it
arrived. When the store is down the draft stays in the slots and a retry
(`retry_submit`) stores it exactly once, thanks to its idempotency key.
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.store import get_sessionmaker, get_settings
from medverk.inputs import InputDraft, StoreUnavailable, submit_input
from medverk.inputs.draft import DRAFT_SLOTS

__all__ = ["ActionCancelInput", "ActionSubmitInput", "clear_draft"]

log = logging.getLogger(__name__)

# One quick second try hides a blip (a restarted pool, a failover) from the citizen.
RETRY_DELAY_SECONDS = 0.5


def clear_draft() -> list[EventType]:
    """Events that forget the draft once it is stored, discarded or cancelled."""
    return [SlotSet(slot, None) for slot in DRAFT_SLOTS]


class ActionSubmitInput(Action):
    """Store the confirmed draft once, then tell the citizen; keep it if storing fails."""

    def name(self) -> str:
        return "action_submit_input"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        confirm = tracker.get_slot("input_confirm")
        if confirm == "no":
            dispatcher.utter_message(response="utter_input_discarded")
            return clear_draft()
        settings = get_settings()
        try:
            draft = InputDraft.from_slots(tracker.slots, settings.default_malform)
        except ValueError:
            draft = None
        if confirm != "yes" or draft is None:
            if tracker.latest_message.get("intent", {}).get("name") == "retry_submit":
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


class ActionCancelInput(Action):
    """Stop the form on "avbryt"/"stopp" and forget the draft."""

    def name(self) -> str:
        return "action_cancel_input"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.active_loop.get("name") == "input_form":
            dispatcher.utter_message(response="utter_input_cancelled")
            return [ActiveLoop(None), SlotSet("requested_slot", None), *clear_draft()]
        if tracker.get_slot("input_store_failed"):
            dispatcher.utter_message(response="utter_input_cancelled")
            return clear_draft()
        dispatcher.utter_message(response="utter_stop_nothing_running")
        return []
