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


@pytest.mark.parametrize(
    ("detected", "previous", "margin", "kept"),
    [
        ("nn", "nb", 1.5, "nb"),  # "ka betyr det for meg" in a Bokmål conversation
        ("nn", "nb", 2.0, "nn"),  # "eg lurer på noko": clearly Nynorsk, so it switches
        ("nb", "nn", 0.3, "nn"),
        ("nb", None, 0.3, "nb"),  # no målform yet: follow the writer
        ("nb", "nb", 0.3, "nb"),
    ],
)
def test_weak_evidence_keeps_the_conversations_malform(
    detected: str, previous: str | None, margin: float, kept: str
) -> None:
    assert kept_malform(detected, None, "ask_case_details", previous, margin) == kept


def test_a_switch_request_beats_the_conversations_malform() -> None:
    assert kept_malform("nb", None, "switch_malform", "nn", 0.0) == "nb"


async def _validate_after(text: str, previous: str, detected: str) -> dict[str, Any]:
    tracker = make_tracker(
        text,
        malform=detected,
        intent="ask_case_details",
        events=[
            {"event": "user", "text": "hva skjer med bussen?"},
            {"event": "slot", "name": "malform", "value": previous},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text},
            {"event": "slot", "name": "malform", "value": detected},
        ],
    )
    events = await ValidateMalformChoice().run(CollectingDispatcher(), tracker, DOMAIN)
    return slot_events(events)


async def test_a_dialect_word_does_not_switch_a_bokmal_conversation() -> None:
    """A Trøndelag teen writes Bokmål with "ka" and "æ": the answers stay in Bokmål."""
    assert await _validate_after("ka betyr det for meg", "nb", "nn") == {"malform": "nb"}
    assert await _validate_after("ok men kan æ slette det?", "nb", "nn") == {"malform": "nb"}


async def test_a_clearly_nynorsk_message_switches_a_bokmal_conversation() -> None:
    assert await _validate_after("kva skjer med saka eg spurde om?", "nb", "nn") == {
        "malform": "nn"
    }


async def test_the_sessions_default_malform_is_not_the_conversations() -> None:
    """The first message of a session follows the writer, even when it tells little."""
    tracker = make_tracker(
        "hva skjer med bussen?",
        malform="nb",
        intent="ask_case_details",
        events=[
            {"event": "session_started"},
            {"event": "slot", "name": "malform", "value": "nn"},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "hva skjer med bussen?"},
            {"event": "slot", "name": "malform", "value": "nb"},
        ],
    )
    events = await ValidateMalformChoice().run(CollectingDispatcher(), tracker, DOMAIN)
    assert slot_events(events) == {"malform": "nb"}
