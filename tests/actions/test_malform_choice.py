"""A målform the user asked for beats the one detected in later messages."""

from __future__ import annotations

from typing import Any

import pytest
from input_helpers import make_tracker, run, slot_events
from rasa_sdk.executor import CollectingDispatcher

from actions.malform_choice import ValidateMalformChoice, kept_malform
from actions.session import ActionSessionStart

DOMAIN: dict[str, Any] = {
    "slots": {
        "malform": {"type": "categorical", "mappings": [{"type": "from_entity"}]},
        "malform_chosen": {"type": "categorical", "mappings": [{"type": "custom"}]},
    },
    "forms": {},
}


@pytest.mark.parametrize(
    ("detected", "chosen", "intent", "kept"),
    [
        ("nb", "nn", "ask_upcoming_cases", "nn"),  # chose Nynorsk, then wrote Bokmål
        ("nn", "nb", "greet", "nb"),
        ("nb", "nn", "switch_malform", "nb"),  # asking again switches
        ("nb", None, "ask_upcoming_cases", "nb"),  # no choice: follow the writer
        ("nn", "xx", "greet", "nn"),  # a broken slot value is ignored
    ],
)
def test_kept_malform(detected: str, chosen: str | None, intent: str, kept: str) -> None:
    """The chosen målform wins unless the message is itself a switch."""
    assert kept_malform(detected, chosen, intent) == kept


async def _validate(text: str, intent: str, detected: str, chosen: str | None) -> dict[str, Any]:
    tracker = make_tracker(
        text,
        malform=detected,
        intent=intent,
        slots={"malform_chosen": chosen},
        events=[
            {"event": "user", "text": text},
            {"event": "slot", "name": "malform", "value": detected},
        ],
    )
    events = await ValidateMalformChoice().run(CollectingDispatcher(), tracker, DOMAIN)
    return slot_events(events)


async def test_global_validation_keeps_the_choice() -> None:
    """Run as Rasa runs it after a message: the detected Bokmål is replaced by the choice."""
    assert ValidateMalformChoice().name() == "action_validate_slot_mappings"
    assert await _validate("hva skjer?", "ask_upcoming_cases", "nb", "nn") == {"malform": "nn"}
    assert await _validate("kan du skrive bokmål?", "switch_malform", "nb", "nn") == {
        "malform": "nb"
    }


async def test_new_session_carries_the_choice() -> None:
    """A new session keeps both the målform and the choice."""
    tracker = make_tracker("hei", malform="nb", slots={"malform_chosen": "nb"})
    _, events = await run(ActionSessionStart(), tracker)
    assert slot_events(events) == {"malform": "nb", "malform_chosen": "nb"}
