"""Session start: keeps the conversation's målform (and a målform the user chose), or uses
the configured default."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import MedverkAction
from actions.malform_choice import CHOSEN_SLOT
from actions.store import get_effective

__all__ = ["ActionSessionStart"]


class ActionSessionStart(MedverkAction):
    """Start a session with the målform carried over (or the municipality's default)."""

    def name(self) -> str:
        return "action_session_start"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        malform = tracker.get_slot("malform")
        if malform not in ("nn", "nb"):
            malform = (await get_effective()).default_malform
        events: list[EventType] = [SessionStarted(), SlotSet("malform", malform)]
        chosen = tracker.get_slot(CHOSEN_SLOT)
        if chosen in ("nn", "nb"):
            events.append(SlotSet(CHOSEN_SLOT, chosen))
        return [*events, ActionExecuted("action_listen")]
