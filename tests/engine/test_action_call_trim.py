"""The action server gets the recent events and the same state (runs in the rasa env)."""

from __future__ import annotations

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from medverk.rasa_launcher import ACTION_SERVER_USER_TURNS, install_action_call_trim

DOMAIN = Domain.from_dict({"slots": {"malform": {"type": "text", "mappings": []}}})


def _tracker(turns: int) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SlotSet("malform", "nn")]
    for n in range(turns):
        events += [
            ActionExecuted("action_listen"),
            UserUttered(f"melding {n}", {"name": "greet", "confidence": 1.0}),
            ActionExecuted("utter_greet"),
            BotUttered(f"svar {n}"),
        ]
    return DialogueStateTracker.from_events("abc", events, DOMAIN.slots)


def _call(tracker: DialogueStateTracker) -> dict:
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:9/webhook"))
    return action._action_call_format(tracker, DOMAIN)


def test_a_long_conversation_sends_the_latest_user_turns_only() -> None:
    tracker = _tracker(40)
    full = tracker.current_state(EventVerbosity.ALL)
    install_action_call_trim()
    sent = _call(tracker)["tracker"]
    assert [e for e in sent["events"] if e["event"] == "user"] == [
        e for e in full["events"] if e["event"] == "user"
    ][-ACTION_SERVER_USER_TURNS:]
    assert sent["events"] == full["events"][-len(sent["events"]) :]
    assert sent["events"][0]["event"] == "user"
    assert {k: v for k, v in sent.items() if k != "events"} == {
        k: v for k, v in full.items() if k != "events"
    }
    assert sent["slots"]["malform"] == "nn"


def test_a_short_conversation_is_sent_whole() -> None:
    tracker = _tracker(ACTION_SERVER_USER_TURNS - 1)
    install_action_call_trim()
    assert _call(tracker)["tracker"] == tracker.current_state(EventVerbosity.ALL)
