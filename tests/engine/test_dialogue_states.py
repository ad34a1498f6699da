"""Incremental applied events and kept dialogue states equal Rasa's own (rasa env).

Real conversations (tests/engine/recorded.py) are replayed as the processor sees them: each
turn starts from a tracker loaded from the store (new event objects, as the tracker store
hands them out), and the policies ask for states before every action. At every such point,
for every set of arguments the Memoization and Rule policies use, the states and the
applied events must equal what Rasa's own code computes from the same tracker, also after
the caller changed the states it got (the featurizers delete keys from them), after a
reverted turn, and after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    Restarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from medverk import dialogue_states
from medverk.dialogue_states import (
    cached_states_for_tracker_history,
    incremental_applied_events,
    rasa_applied_events,
    rasa_states_for_tracker_history,
)
from medverk.tracker_cache import clone_tracker
from tests.engine.recorded import conversations, domain, turns

RULE_ONLY = {"slots": ["malform", "requested_slot"], "loops": ["input_form"]}
ARGUMENTS = [
    (omit, ignore, rule_only)
    for omit in (False, True)
    for ignore, rule_only in ((False, None), (True, None), (True, RULE_ONLY))
]

States = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def incremental(monkeypatch: pytest.MonkeyPatch) -> Iterator[States]:
    """The launcher's setup: incremental applied events, a fresh kept-states function."""
    monkeypatch.setattr(DialogueStateTracker, "applied_events", incremental_applied_events)
    yield cached_states_for_tracker_history()


def _rasa(tracker: DialogueStateTracker, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Rasa's states, with Rasa's applied events (not the incremental ones)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DialogueStateTracker, "applied_events", rasa_applied_events)
        return rasa_states_for_tracker_history(domain(), tracker, *args)


def _prediction_points(
    sender: str, events: list[dict[str, Any]], extra: dict[int, list[Any]] | None = None
) -> Iterator[DialogueStateTracker]:
    """The tracker before every action of the conversation, as the processor has it.

    `extra`: events added after the turn with that index (a revert, a restart).
    """
    stored: list[dict[str, Any]] = []
    for n, turn in enumerate(turns(events)):
        tracker = clone_tracker(DialogueStateTracker.from_dict(sender, stored, domain().slots))
        for event in DialogueStateTracker.from_dict(sender, turn, domain().slots).events:
            if isinstance(event, ActionExecuted):
                yield tracker
            tracker.update(event)
        for event in (extra or {}).get(n, []):
            tracker.update(event)
        yield tracker
        stored = [event.as_dict() for event in tracker.events]


def _sharing(states: list[dict[str, Any]]) -> list[tuple[int, str, int, str]]:
    """Which sub-state dictionaries are one object (Rasa's rule-only substitution shares)."""
    first: dict[int, tuple[int, str]] = {}
    shared = []
    for index, state in enumerate(states):
        for key, sub_state in state.items():
            seen = first.setdefault(id(sub_state), (index, key))
            if seen != (index, key):
                shared.append((index, key, *seen))
    return shared


def _check(states: States, trackers: Iterator[DialogueStateTracker]) -> int:
    points = 0
    for tracker in trackers:
        applied = tracker.applied_events()
        expected_applied = rasa_applied_events(tracker)
        assert len(applied) == len(expected_applied)
        assert all(a is b for a, b in zip(applied, expected_applied, strict=True))
        for args in ARGUMENTS:
            got, expected = states(domain(), tracker, *args), _rasa(tracker, args)
            assert got == expected, (tracker.sender_id, points, args)
            assert _sharing(got) == _sharing(expected)
            # What the featurizers do to the states they get (tracker_featurizers.py).
            for state in got:
                state.get("user", {}).pop("text", None)
                state.pop("slots", None)
            if got:
                got[-1].get("prev_action", {}).clear()
        points += 1
    return points


def test_states_of_real_conversations_equal_rasas_at_every_prediction(
    incremental: States,
) -> None:
    points = sum(
        _check(incremental, _prediction_points(sender, events))
        for sender, events in conversations().items()
    )
    assert points > 100


def test_a_reverted_turn_and_a_restart_give_rasas_states(incremental: States) -> None:
    events = conversations()["form-interrupted"]
    extra = {
        2: [UserUtteranceReverted()],
        4: [ActionReverted()],
        5: [Restarted(), ActionExecuted("action_session_start")],
    }
    assert _check(incremental, _prediction_points("form-interrupted", events, extra)) > 10


def test_only_the_new_part_of_a_conversation_is_replayed(
    incremental: States, monkeypatch: pytest.MonkeyPatch
) -> None:
    replayed: list[int] = []
    replay = dialogue_states._replay

    def counting(domain: Any, applied: list[Any], walk: Any, *args: Any) -> None:
        replayed.append(len(applied) - walk.position)
        replay(domain, applied, walk, *args)

    monkeypatch.setattr(dialogue_states, "_replay", counting)
    events = conversations()["questions"]
    trackers = list(_prediction_points("questions", events))
    for tracker in trackers:
        incremental(domain(), tracker, False, True, RULE_ONLY)
    assert replayed[0] > 0
    # After the first call, each call replays what was added since the call before
    # (and the last turn once more: its events came back from the store as new objects).
    assert max(replayed[1:]) < 20
    assert sum(replayed) < 3 * len(trackers[-1].events)


def test_applied_events_continue_on_copies_and_fall_back_on_a_changed_history() -> None:
    events = conversations()["visit-nb"]
    tracker = DialogueStateTracker.from_dict("visit-nb", events, domain().slots)
    assert incremental_applied_events(tracker) == rasa_applied_events(tracker)
    clone = clone_tracker(tracker)
    clone.update(UserUtteranceReverted())
    assert incremental_applied_events(clone) == rasa_applied_events(clone)
    assert incremental_applied_events(tracker) == rasa_applied_events(tracker)
    tracker.events.pop()
    tracker.events.pop()
    assert incremental_applied_events(tracker) == rasa_applied_events(tracker)
