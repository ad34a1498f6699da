"""A målform the user asked for stays until they ask for the other one.

Every message that tells its målform sets the slot `malform` (the entity from
`nlu.malform.MalformDetector`), so the assistant answers the way people write.
After an explicit choice ("kan du skrive nynorsk?", /nynorsk) that choice wins:
a pupil who writes Bokmål at school but asked for Nynorsk keeps getting
Nynorsk. The choice is the slot `malform_chosen`, set by `action_switch_malform`
and carried over to new sessions by `action_session_start`.

A conversation's målform also holds against weak evidence: once it has one, a message
that leans the other way only a little ("ka betyr det for meg" in a Bokmål
conversation: one dialect word) keeps it; the reply switches when the message clearly
is the other målform (a margin of SWITCH_MARGIN in `nlu.malform_detection`'s score,
i.e. at least one core word such as "ikkje"/"jeg"). So a writer of dialect is not
answered in Nynorsk and Bokmål by turns.

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
from nlu.malform_detection import score_malform

__all__ = [
    "CHOSEN_SLOT",
    "SWITCH_MARGIN",
    "ValidateMalformChoice",
    "evidence_margin",
    "kept_malform",
    "malform_before",
]

CHOSEN_SLOT = "malform_chosen"
SWITCH_INTENT = "switch_malform"


# How much more one målform's markers must weigh to switch a conversation's målform.
SWITCH_MARGIN = 2.0


def kept_malform(
    detected: Any,
    chosen: Any,
    intent: str | None,
    previous: Any = None,
    margin: float = SWITCH_MARGIN,
) -> Any:
    """The målform to keep: the chosen one, unless this message is itself a switch; else
    the conversation's one (`previous`) unless this message clearly is the other one."""
    if intent == SWITCH_INTENT:
        return detected
    if chosen in MALFORMS:
        return chosen
    if previous in MALFORMS and detected != previous and margin < SWITCH_MARGIN:
        return previous
    return detected


def malform_before(tracker: Tracker) -> str | None:
    """The målform the person's earlier messages in this session gave the conversation
    (the last `malform` slot event set in a user turn before the latest message), if the
    events sent along hold one; a session's default målform does not count."""
    events = list(tracker.events)
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    value: str | None = None
    in_user_turn = False
    for event in events[: users[-1]] if users else []:
        kind = event.get("event")
        if kind == "session_started":
            value, in_user_turn = None, False
        elif kind == "user":
            in_user_turn = True
        elif kind == "slot" and event.get("name") == "malform" and in_user_turn:
            value = event.get("value") if event.get("value") in MALFORMS else value
    return value


def evidence_margin(text: str) -> float:
    """How much more the winning målform's markers weigh in `text` than the other's."""
    score = score_malform(text)
    return abs(score.nn - score.nb)


class ValidateMalformChoice(ValidationAction):
    """Rasa's global slot validation (`action_validate_slot_mappings`) for `malform`."""

    async def validate_malform(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Keep an explicitly chosen målform over the one detected in this message, and the
        conversation's målform over a message that leans the other way only a little."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(tracker.latest_message.get("text") or "")
        kept = kept_malform(
            slot_value,
            tracker.get_slot(CHOSEN_SLOT),
            intent,
            previous=malform_before(tracker),
            margin=evidence_margin(text),
        )
        return {"malform": kept}
