"""A conversation's dialogue states computed once, not again for every prediction (rasa env).

Rasa's Memoization and Rule policies ask, for every prediction, for the dialogue states of
the whole history (`Domain.states_for_tracker_history`): it folds the tracker's events into
the applied ones (`DialogueStateTracker.applied_events`, dropping reverted turns and a
form's repeated turns), replays them into a new tracker and takes the state before each
action. The states of the history so far do not change when events are appended, so:

- `incremental_applied_events` keeps the fold of a tracker's events on the tracker and
  continues it with the events appended since (the fold is left to right; the one thing
  that looks at the whole list, the names of the loops ever activated, is checked: a new
  loop name means the fold is done again in full);
- `cached_states_for_tracker_history` keeps, per conversation and per set of arguments,
  the states computed so far and the replayed tracker at the last few actions, and
  computes only the states after the point where the applied events first differ from
  the ones it has seen (identical event objects, or events with the same content: the
  tracker store hands out freshly loaded objects for the previous turn's events).

Both give exactly what Rasa's own code gives (tests/engine/test_dialogue_states.py checks
them against it, call by call, on whole conversations); every list returned is new, with
new state dictionaries, as Rasa's are (callers change them).
"""

from __future__ import annotations

import itertools
import operator
import pickle
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from medverk.tracker_cache import clone_tracker

__all__ = [
    "CACHED_STATE_HISTORIES",
    "CHECKPOINTS",
    "cached_states_for_tracker_history",
    "incremental_applied_events",
    "rasa_applied_events",
    "rasa_states_for_tracker_history",
]

State = dict[str, Any]

CACHED_STATE_HISTORIES = 1_000  # conversations x argument sets
CHECKPOINTS = 8  # replayed trackers kept per history, at its latest actions
_APPLIED = "_medverk_applied_events"
_LOOK_BACK = 20  # states searched for the last ML action's copy

# Rasa's own (this module is imported before the launcher replaces them).
rasa_applied_events = DialogueStateTracker.applied_events
rasa_states_for_tracker_history = Domain.states_for_tracker_history


@dataclass(frozen=True)
class _Fold:
    """The applied events of `events` (never changed: trackers and their copies share it)."""

    events: list[Event]
    loop_names: frozenset[str]
    applied: list[Event]


def _loop_names(events: Iterable[Event]) -> set[str]:
    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def _fold(
    tracker: DialogueStateTracker,
    events: Iterable[Event],
    loop_names: frozenset[str],
    applied: list[Event],
) -> None:
    """The loop of Rasa's `applied_events`, continuing `applied` in place."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def incremental_applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """`DialogueStateTracker.applied_events`, continuing the fold kept on the tracker."""
    events = tracker.events
    kept: _Fold | None = tracker.__dict__.get(_APPLIED)
    if (
        kept is not None
        and len(kept.events) <= len(events)
        and all(map(operator.is_, kept.events, events))
    ):
        new = list(itertools.islice(events, len(kept.events), None))
        if not new:
            return list(kept.applied)
        if _loop_names(new) <= kept.loop_names:
            applied = list(kept.applied)
            _fold(tracker, new, kept.loop_names, applied)
            tracker.__dict__[_APPLIED] = _Fold(kept.events + new, kept.loop_names, applied)
            return list(applied)
    every = list(events)
    loop_names = frozenset(_loop_names(every))
    applied = []
    _fold(tracker, every, loop_names, applied)
    tracker.__dict__[_APPLIED] = _Fold(every, loop_names, applied)
    return list(applied)


@dataclass
class _Walk:
    """Where the replay of the applied events stands, and Rasa's loop variables there."""

    position: int  # index of the next applied event to replay
    tracker: DialogueStateTracker  # the prior tracker (Rasa's generate_all_prior_trackers)
    states: int  # how many states were taken before this point
    last_ml_action: Any
    turn_was_hidden: bool

    def copy(self) -> _Walk:
        return _Walk(
            self.position,
            clone_tracker(self.tracker),
            self.states,
            self.last_ml_action,
            self.turn_was_hidden,
        )


@dataclass
class _History:
    domain: Domain
    applied: list[Event]
    states: list[State]
    end: _Walk  # after every applied event
    checkpoints: list[_Walk]  # before each of the latest ActionExecuted events
    pickled: bytes | None = None  # `states` pickled (None: changed since)
    pickled_states: int = 0


@dataclass(frozen=True)
class _Arguments:
    omit_unset_slots: bool
    ignore_rule_only_turns: bool
    rule_only_data: dict[str, Any] | None


def _take_state(
    domain: Domain, walk: _Walk, hide_rule_turn: bool, states: list[State], args: _Arguments
) -> None:
    """One step of Rasa's loop in `states_for_tracker_history` (one prior tracker)."""
    tracker = walk.tracker
    if args.ignore_rule_only_turns:
        if not walk.turn_was_hidden:
            walk.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            walk.turn_was_hidden = hide_rule_turn
        if walk.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=args.omit_unset_slots)
    if args.ignore_rule_only_turns:
        domain._remove_rule_only_features(state, args.rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if walk.last_ml_action:
            state[PREVIOUS_ACTION] = walk.last_ml_action
    states.append(domain._clean_state(state))


def _replay(
    domain: Domain,
    applied: list[Event],
    walk: _Walk,
    states: list[State],
    args: _Arguments,
    checkpoints: list[_Walk],
) -> None:
    """Replay `applied` from `walk.position` on, taking a state before each action."""
    actions = [
        index
        for index in range(walk.position, len(applied))
        if isinstance(applied[index], ActionExecuted)
    ]
    keep_from = actions[-CHECKPOINTS] if len(actions) > CHECKPOINTS else walk.position
    for index in range(walk.position, len(applied)):
        event = applied[index]
        if isinstance(event, ActionExecuted):
            walk.position, walk.states = index, len(states)
            if index >= keep_from:
                checkpoints.append(walk.copy())
            _take_state(domain, walk, event.hide_rule_turn, states, args)
        walk.tracker.update(event)
    walk.position, walk.states = len(applied), len(states)
    del checkpoints[:-CHECKPOINTS]


def _same_event(kept: Event, new: Event) -> bool:
    return kept is new or (type(kept) is type(new) and kept.as_dict() == new.as_dict())


def _common_prefix(kept: list[Event], applied: list[Event]) -> int:
    shortest = min(len(kept), len(applied))
    if all(map(operator.is_, kept[:shortest], applied)):
        return shortest
    index = next(i for i in range(shortest) if kept[i] is not applied[i])
    while index < shortest and _same_event(kept[index], applied[index]):
        index += 1
    return index


def _copy_states(states: list[State]) -> list[State]:
    """New state and sub-state dictionaries, shared between states where Rasa's are.

    A pickle round trip: it keeps which dictionaries are the same object (Rasa's rule-only
    substitution shares a user sub-state between states) and is several times faster than
    copying the dictionaries one by one in Python. States hold strings, numbers, tuples.
    """
    copied: list[State] = pickle.loads(pickle.dumps(states, pickle.HIGHEST_PROTOCOL))  # noqa: S301 - our own data
    return copied


class _Histories:
    """The kept histories, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._histories: OrderedDict[tuple[Any, ...], _History] = OrderedDict()

    def states(
        self, domain: Domain, tracker: DialogueStateTracker, args: _Arguments
    ) -> list[State]:
        key = (
            tracker.sender_id,
            tracker._max_event_history,
            args.omit_unset_slots,
            args.ignore_rule_only_turns,
            repr(args.rule_only_data),
        )
        applied = tracker.applied_events()
        history = self._histories.get(key)
        walk = None
        if history is not None and history.domain is domain:
            same = _common_prefix(history.applied, applied)
            if same == len(history.applied):
                walk = history.end
            else:
                usable = [c for c in history.checkpoints if c.position <= same]
                if usable:
                    walk = usable[-1].copy()
                    history.checkpoints = [
                        c for c in history.checkpoints if c.position < walk.position
                    ]
                    del history.states[walk.states :]
                    history.pickled = None
        if history is None or walk is None or history.domain is not domain:
            start = tracker.init_copy()
            walk = _Walk(0, start, 0, None, False)
            history = _History(domain, applied, [], walk, [])
        _replay(domain, applied, walk, history.states, args, history.checkpoints)
        history.applied, history.end = applied, walk
        self._histories[key] = history
        self._histories.move_to_end(key)
        while len(self._histories) > self._size:
            self._histories.popitem(last=False)
        return _with_final_state(domain, history, args)


def _with_final_state(domain: Domain, history: _History, args: _Arguments) -> list[State]:
    """Copies of the kept states, and Rasa's last state (after every applied event).

    The last state is taken on the copies, so that what it shares with the states before
    it (the user sub-state Rasa's rule-only substitution takes from the state before, the
    last ML action) is shared with the copies, as in Rasa's list; what it would share with
    the kept replay (its tracker's latest action) is copied.
    """
    walk = history.end
    if history.pickled is None or history.pickled_states != len(history.states):
        history.pickled = pickle.dumps(history.states, pickle.HIGHEST_PROTOCOL)
        history.pickled_states = len(history.states)
    states: list[State] = pickle.loads(history.pickled)  # noqa: S301 - our own data
    last_ml_action = walk.last_ml_action
    if last_ml_action is not None:
        last_ml_action = _counterpart(last_ml_action, history.states, states)
        if last_ml_action is None:  # not found near the end: copy everything at once
            return _copy_states(_final_on_kept(domain, history, args))
    final = _Walk(walk.position, walk.tracker, walk.states, last_ml_action, walk.turn_was_hidden)
    taken = len(states)
    _take_state(domain, final, False, states, args)
    if len(states) > taken:
        state = states[-1]
        previous = state.get(PREVIOUS_ACTION)
        if previous is not None and previous is walk.tracker.latest_action:
            state[PREVIOUS_ACTION] = dict(previous)
    return states


def _final_on_kept(domain: Domain, history: _History, args: _Arguments) -> list[State]:
    walk = history.end
    final = _Walk(
        walk.position, walk.tracker, walk.states, walk.last_ml_action, walk.turn_was_hidden
    )
    states = list(history.states)
    _take_state(domain, final, False, states, args)
    return states


def _counterpart(sub_state: Any, kept: list[State], copies: list[State]) -> Any:
    """`sub_state`'s copy if one of the latest kept states holds it; else a new copy.

    None when it may be in an earlier state (not looked for: the caller copies it all).
    """
    for index in range(len(kept) - 1, max(len(kept) - _LOOK_BACK, 0) - 1, -1):
        for key, value in kept[index].items():
            if value is sub_state:
                return copies[index][key]
    if len(kept) > _LOOK_BACK:
        return None
    return dict(sub_state)


def cached_states_for_tracker_history(
    size: int = CACHED_STATE_HISTORIES,
) -> Callable[..., list[State]]:
    """A `Domain.states_for_tracker_history` that keeps each conversation's states."""
    histories = _Histories(size)

    def states_for_tracker_history(
        self: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        if type(tracker) is not DialogueStateTracker or tracker.is_rule_tracker:
            # Training's trackers (TrackerWithCachedStates) keep their own states.
            return rasa_states_for_tracker_history(
                self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data
            )
        args = _Arguments(omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        return histories.states(self, tracker, args)

    return states_for_tracker_history
