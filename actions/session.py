"""Session start: keeps the conversation's målform, or uses the configured default."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.store import get_settings

__all__ = ["ActionSessionStart"]


class ActionSessionStart(Action):
    """Start a session with the målform carried over (or the municipality's default)."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        malform = tracker.get_slot("malform")
        if malform not in ("nn", "nb"):
            malform = get_settings().default_malform
        return [SessionStarted(), SlotSet("malform", malform), ActionExecuted("action_listen")]
