"""A målform the user asked for stays until they ask for the other one.

Every message that tells its målform sets the slot `malform` (the entity from
`nlu.malform.MalformDetector`), so the assistant answers the way people write.
After an explicit choice ("kan du skrive nynorsk?", /nynorsk) that choice wins:
a pupil who writes Bokmål at school but asked for Nynorsk keeps getting
Nynorsk. The choice is the slot `malform_chosen`, set by `action_switch_malform`
and carried over to new sessions by `action_session_start`.

Rasa runs `action_validate_slot_mappings` after every user message; if the
action server cannot be reached Rasa keeps the detected value, so a failure
here only makes the choice less sticky, never breaks the turn.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from medverk.names import MALFORMS

__all__ = ["CHOSEN_SLOT", "ValidateMalformChoice", "kept_malform"]

CHOSEN_SLOT = "malform_chosen"
SWITCH_INTENT = "switch_malform"


def kept_malform(detected: Any, chosen: Any, intent: str | None) -> Any:
    """The målform to keep: the chosen one, unless this message is itself a switch."""
    if chosen in MALFORMS and intent != SWITCH_INTENT:
        return chosen
    return detected


class ValidateMalformChoice(ValidationAction):
    """Rasa's global slot validation (`action_validate_slot_mappings`) for `malform`."""

    async def validate_malform(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Keep an explicitly chosen målform over the one detected in this message."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return {"malform": kept_malform(slot_value, tracker.get_slot(CHOSEN_SLOT), intent)}
