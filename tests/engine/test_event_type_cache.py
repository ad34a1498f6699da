"""The launcher's event-type table gives Rasa's own answers (runs in the rasa env)."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from medverk.rasa_launcher import install_event_type_cache


@pytest.fixture(scope="module", autouse=True)
def _cache() -> None:
    install_event_type_cache()


def test_stored_events_come_back_as_the_same_events() -> None:
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hei", {"name": "greet", "confidence": 1.0}),
        SlotSet("malform", "nn"),
        ActionExecuted("utter_greet"),
    ]
    stored = [event.as_dict() for event in events]
    for _round in range(2):  # the second round is answered from the table
        assert [Event.from_parameters(data) for data in stored] == events
    tracker = DialogueStateTracker.from_dict("abc", stored)
    assert tracker.get_slot("malform") == "nn"


def test_a_class_defined_later_is_found() -> None:
    assert Event.resolve_by_type("slot") is SlotSet

    class MedverkTestEvent(SlotSet):
        type_name = "medverk_test_event"

    assert Event.resolve_by_type("medverk_test_event") is MedverkTestEvent
    assert Event.resolve_by_type("user") is UserUttered


def test_unknown_names_behave_as_in_rasa() -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
