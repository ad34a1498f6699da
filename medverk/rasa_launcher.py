"""Start the Rasa CLI with the action-response validator built once (runs in `.venv/rasa`).

`python -m medverk.rasa_launcher run --model ...` is `rasa run --model ...`, with one
change: Rasa 3.6 checks every action server response with `jsonschema.validate`, which
checks the schema itself and builds a new validator on every call (half the engine's CPU
under load). Here the same schema is checked once, the validator is built once, and every
response is still validated against it; an invalid response raises the same
`ValidationError` with the same message Rasa adds.

Second change: after every user message Rasa calls the global slot validation
(`action_validate_slot_mappings`, actions/malform_choice.py) on the action server, even
when nothing it validates was extracted. That action only has `validate_malform` (no
`extract_*`), so for a turn that extracted no `malform` its answer is always "nothing to
change"; the launcher skips that call and returns what Rasa would. A turn that sets
`malform` still goes to the action server, so a chosen målform stays sticky.
`GLOBALLY_VALIDATED_SLOTS` must list every `validate_<slot>` of that action (a test of
the app environment checks it).

Three more, for the cost of a long conversation (docs/performance.md, changes 4, 6, 7):
event classes are looked up in a table (`install_event_type_cache`), the action server
gets the events of the latest user messages only (`install_action_call_trim`), and the
SQLite tracker store runs in WAL mode (`install_sqlite_wal`). And so that a turn no longer
costs more the longer the conversation is (changes 8-10): the SQL tracker store keeps
each conversation's tracker between turns and reads only its new rows, and the copy before
each action replays only the turn (`install_tracker_cache`); the policies' dialogue
states are computed once per new event (`install_dialogue_state_cache`); the policies'
debug lines over the whole history are built only when logged (`install_debug_log_skip`).
The loaded model is frozen out of the garbage collector's full collections
(`install_gc_freeze`, change 11).

The auth token of Rasa's HTTP API comes from the environment (MEDVERK_RASA_AUTH_TOKEN)
and is added to Rasa's arguments inside this process, so it is never on a command line
that `ps` shows (F12). MEDVERK_RASA_CLI=stock runs plain Rasa (the benchmark's baseline).

Part three (changes 13-19) makes a normal turn cheaper: action responses checked per
event type, the intent weights laid out for one message, the SQLite tracker store's
connection kept (`synchronous=NORMAL` under WAL), the domain only to the actions that read
it and without response texts, keep-alive to the action server (medverk.action_calls),
rule and Memoization lookups that stop where nothing more can match
(medverk.policy_lookups), and a young generation collected every 50,000 allocations.

Imports only rasa, jsonschema and its own rasa-env modules (medverk.action_responses,
medverk.tracker_cache, medverk.dialogue_states, medverk.action_calls,
medverk.policy_lookups); the rasa environment has neither the gateway's nor the action
server's packages.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = [
    "ACTION_SERVER_USER_TURNS",
    "GC_THRESHOLDS",
    "GLOBALLY_VALIDATED_SLOTS",
    "install_action_call_trim",
    "install_debug_log_skip",
    "install_dialogue_state_cache",
    "install_event_type_cache",
    "install_gc_freeze",
    "install_intent_coefficients_layout",
    "install_sqlite_wal",
    "install_tracker_cache",
    "install_validation_call_skip",
    "main",
    "rasa_argv",
]

# Same name as medverk.stack_secrets.RASA_AUTH_TOKEN_ENV (this module imports no medverk).
AUTH_TOKEN_ENV = "MEDVERK_RASA_AUTH_TOKEN"  # noqa: S105 - a variable name

# The slots `action_validate_slot_mappings` validates (its validate_<slot> methods).
GLOBALLY_VALIDATED_SLOTS = frozenset({"malform"})

# The action server gets the events of the latest this-many user messages (and what came
# after them), not the whole conversation: actions/knowledge.py counts the misses in a row
# (it needs MISSES_BEFORE_HUMAN of them) and actions/form_turn.py looks at the latest turn.
ACTION_SERVER_USER_TURNS = 10
# gc.set_threshold after the model is loaded (install_gc_freeze).
GC_THRESHOLDS = (50_000, 10, 10)


def install_validation_call_skip() -> None:
    """Call the global slot validation only for turns that extracted a slot it validates."""
    from rasa.core.actions.action import ActionExtractSlots
    from rasa.shared.core.events import SlotSet

    call_action_server = ActionExtractSlots._execute_validation_action

    async def execute_validation_action(
        self: ActionExtractSlots, extraction_events: list[Any], *args: Any
    ) -> list[Any]:
        if any(
            isinstance(event, SlotSet) and event.key in GLOBALLY_VALIDATED_SLOTS
            for event in extraction_events
        ):
            return await call_action_server(self, extraction_events, *args)
        # What Rasa returns when the action answers no SlotSet: the extracted slots.
        return [event for event in extraction_events if isinstance(event, SlotSet)]

    ActionExtractSlots._execute_validation_action = execute_validation_action  # type: ignore[method-assign]


def install_event_type_cache() -> None:
    """Look up an event's class by its type name in a table instead of walking all classes.

    Rasa turns every stored event back into an object with `Event.resolve_by_type`, which
    walks every subclass of `Event` (and asks `inspect.isabstract` of each) for every event:
    loading a 200-message conversation did that about 1,000 times per tracker load, more
    than half the engine's time on a long conversation. The table holds what Rasa's own
    lookup found, is emptied whenever a new `Event` subclass is defined, and a name not in
    it goes to Rasa's lookup (same result, same errors).
    """
    from rasa.shared.core.events import Event

    resolve = Event.resolve_by_type
    found: dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        cls = found.get(type_name)
        if cls is None:
            cls = resolve(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    def forget_on_new_subclass(cls: type, /, **kwargs: Any) -> None:
        found.clear()

    Event.__init_subclass__ = classmethod(forget_on_new_subclass)  # type: ignore[assignment]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment,method-assign]


class _RecentEvents:
    """A tracker whose `current_state` lists only the events from `start` on."""

    def __init__(self, tracker: Any, start: int) -> None:
        self._tracker = tracker
        self._start = start

    def current_state(self, _verbosity: Any = None) -> dict[str, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        state: dict[str, Any] = self._tracker.current_state(EventVerbosity.NONE)
        events = list(self._tracker.events)[self._start :]
        state["events"] = [event.as_dict() for event in events]
        return state

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)


def install_action_call_trim(user_turns: int = ACTION_SERVER_USER_TURNS) -> None:
    """Send the action server the recent events only, not every event of the session.

    Rasa sends the whole tracker (`EventVerbosity.ALL`) with every action call, so the
    call (serialising, sending, parsing it on the action server) grows with the
    conversation. Slots, the latest message and the active form are in the tracker's
    state as before; only the event list starts at the `user_turns`-th latest user message.
    """
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import UserUttered

    build = RemoteAction._action_call_format

    def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        events, seen = tracker.events, 0
        for index in range(len(events) - 1, 0, -1):
            if isinstance(events[index], UserUttered):
                seen += 1
                if seen == user_turns:
                    return build(self, _RecentEvents(tracker, index), domain)
        return build(self, tracker, domain)

    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]


def install_sqlite_wal() -> None:
    """Rasa's SQLite tracker store in write-ahead-log mode (as the gateway's store already is).

    Rasa opens SQLite with its default rollback journal: every turn's save writes the
    journal, syncs, writes the database, syncs and deletes the journal. With WAL a save
    syncs once. `synchronous=NORMAL`, the setting SQLite recommends with WAL: a commit no
    longer waits for the disk (the engine's event loop stood still for every turn's sync);
    a killed engine loses nothing (committed turns are in the WAL file), and only a power
    cut or an operating-system crash can roll back the latest turns of a conversation. The
    input citizens give is not kept here but in the gateway's store, which keeps FULL.
    Only SQLite connections are touched; PostgreSQL (the cluster) is not.
    """
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    if not event.contains(Engine, "connect", on_connect):
        event.listen(Engine, "connect", on_connect)


def install_tracker_cache() -> None:
    """Rasa's SQL tracker store keeps each conversation's tracker between turns.

    `tracker_store: type: SQL` (SQLite and PostgreSQL) becomes `CachedSQLTrackerStore`
    (medverk/tracker_cache.py): a turn reads the conversation's new rows only, checked
    against the store, instead of loading and replaying the whole session. The copy the
    processor makes before each action replays only the turn's events (`replayed_copy`).
    """
    import rasa.core.tracker_store as tracker_store
    from rasa.shared.core.trackers import DialogueStateTracker

    from medverk.tracker_cache import CachedSQLTrackerStore, replayed_copy

    tracker_store.SQLTrackerStore = CachedSQLTrackerStore  # type: ignore[misc]
    DialogueStateTracker.copy = replayed_copy  # type: ignore[method-assign]


def install_dialogue_state_cache() -> None:
    """The policies' dialogue states of a conversation are computed once per new event.

    `DialogueStateTracker.applied_events` continues its fold on the events appended since
    the last call, `Domain.states_for_tracker_history` computes only the states after the
    history it has seen (medverk/dialogue_states.py); both give what Rasa's code gives.
    """
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from medverk.dialogue_states import (
        cached_states_for_tracker_history,
        incremental_applied_events,
    )
    from medverk.tracker_cache import CachedSQLTrackerStore

    if DialogueStateTracker.applied_events is not incremental_applied_events:
        DialogueStateTracker.applied_events = incremental_applied_events  # type: ignore[method-assign]
        Domain.states_for_tracker_history = cached_states_for_tracker_history()  # type: ignore[method-assign]
    CachedSQLTrackerStore.keep_applied_events = True


class _CopyForDebugLog:
    """`copy` for a module that deep-copies only for its debug log lines (structlog).

    `deepcopy` copies when the module's logger logs debug lines (the line is the same as
    before) and otherwise hands the value back as it is: structlog drops the line unread.
    """

    def __init__(self, logger_name: str) -> None:
        import copy
        import logging

        self._log = logging.getLogger(logger_name)
        self._debug = logging.DEBUG
        self._deepcopy = copy.deepcopy

    def deepcopy(self, value: Any) -> Any:
        return self._deepcopy(value) if self._log.isEnabledFor(self._debug) else value


def install_debug_log_skip() -> None:
    """The policies build their debug log lines only when debug lines are logged.

    For every prediction the Memoization policy deep-copies the dialogue states of the whole
    conversation for a debug line (`copy.deepcopy(states)`, its only use of `copy`), and the
    Rule policy turns every state into text for one (`format_tracker_states`), whether debug
    logging is on or not; both grow with the conversation. With debug logging on for the
    policy's logger the lines are as before; otherwise they are dropped unbuilt, as
    structlog drops them unread.
    """
    import logging

    import rasa.core.policies.memoization as memoization
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RulePolicy

    memoization.copy = _CopyForDebugLog(memoization.__name__)  # type: ignore[assignment]
    rule_log = logging.getLogger("rasa.core.policies.rule_policy")
    format_states = Policy.format_tracker_states

    def format_tracker_states(states: list[dict[str, Any]]) -> str:
        return format_states(states) if rule_log.isEnabledFor(logging.DEBUG) else ""

    RulePolicy.format_tracker_states = staticmethod(format_tracker_states)  # type: ignore[assignment]


def install_gc_freeze() -> None:
    """What the model loaded is moved out of the garbage collector's way (`gc.freeze`).

    A loaded model is about 550,000 Python objects that live as long as the engine; every
    full collection of the cyclic garbage collector walks them all (310 ms on this machine)
    and a turn that triggers one waits for it. After the model is loaded they are moved to
    the permanent generation: collections walk only what came after (conversations,
    requests). Nothing is freed less: these objects are in use until the engine stops.

    Then the young generation is collected every 50,000 allocations instead of every 700
    (`GC_THRESHOLDS`): a turn makes tens of thousands of short-lived dicts and lists (states,
    events, JSON), nearly all freed by reference counting, and at 700 the collector ran
    hundreds of times a turn and walked the kept conversations in its older generations
    often. Measured: 50 closed-loop users 51.6-52.0 msg/s at 700, 68.8-70.0 at 50,000.
    What only the collector frees (reference cycles) waits a little longer: at most the
    young generation's 50,000 objects, a few megabytes.
    """
    import gc

    import rasa.core.run as run

    load = run.load_agent_on_start

    async def load_agent_on_start(
        model_path: Any, endpoints: Any, remote_storage: Any, app: Any, loop: Any
    ) -> Any:
        agent = await load(model_path, endpoints, remote_storage, app, loop)
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        return agent

    run.load_agent_on_start = load_agent_on_start


def install_intent_coefficients_layout() -> None:
    """The intent classifier's weights laid out for one message at a time.

    `LogisticRegression.decision_function` multiplies the message's sparse features by
    `coef_.T`; scipy needs that operand contiguous and copies the whole weight matrix
    (features × intents) for every message when it is not. The loaded `coef_` is stored
    column-major instead, so `coef_.T` is contiguous and nothing is copied: the same
    numbers, the same products, the same probabilities.
    """
    import numpy as np
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )

    load = LogisticRegressionClassifier.load.__func__  # type: ignore[attr-defined]

    def load_laid_out(cls: Any, *args: Any, **kwargs: Any) -> Any:
        component = load(cls, *args, **kwargs)
        clf: Any = getattr(component, "clf", None)
        if getattr(clf, "coef_", None) is not None:
            clf.coef_ = np.asfortranarray(clf.coef_)
        return component

    LogisticRegressionClassifier.load = classmethod(load_laid_out)  # type: ignore[assignment]


def rasa_argv(args: list[str], environ: dict[str, str]) -> list[str]:
    """Rasa's `sys.argv`: `run` gets `--auth-token` from the environment when it is set."""
    token = environ.get(AUTH_TOKEN_ENV, "")
    if token and args[:1] == ["run"] and "--auth-token" not in args:
        args = [*args, "--auth-token", token]
    return ["rasa", *args]


def main(argv: list[str] | None = None) -> None:
    """Run the Rasa CLI (same arguments as `rasa`) with every change installed."""
    if os.environ.get("MEDVERK_RASA_CLI") != "stock":
        from medverk.action_calls import install_action_domain_trim, install_action_keep_alive
        from medverk.action_responses import install_action_result_validator
        from medverk.policy_lookups import install_memo_lookup_cut, install_rule_lookup_cut

        install_action_result_validator()
        install_validation_call_skip()
        install_event_type_cache()
        install_action_call_trim()
        install_action_domain_trim()
        install_action_keep_alive()
        install_sqlite_wal()
        install_tracker_cache()
        install_dialogue_state_cache()
        install_rule_lookup_cut()
        install_memo_lookup_cut()
        install_debug_log_skip()
        install_intent_coefficients_layout()
        install_gc_freeze()
    from rasa.__main__ import main as rasa_main

    # sys.argv is this process's own copy; /proc/<pid>/cmdline keeps what was started.
    sys.argv = rasa_argv(sys.argv[1:] if argv is None else argv, dict(os.environ))
    rasa_main()


if __name__ == "__main__":
    main()
