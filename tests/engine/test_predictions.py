"""The trained model predicts the same with the kept dialogue states as without (rasa env).

The model (MEDVERK_TEST_MODEL, else the newest in models/) is loaded once; at every point
where the processor predicts an action in the recorded conversations
(tests/engine/recorded.py), its Memoization and Rule policies (the whole core graph) must
give the same action, policy, probabilities and events with the launcher's incremental
applied events and kept states as with Rasa's own code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from medverk.dialogue_states import cached_states_for_tracker_history, incremental_applied_events
from medverk.tracker_cache import clone_tracker
from tests.engine.recorded import PROJECT, conversations, turns


def _model() -> Path | None:
    if os.environ.get("MEDVERK_TEST_MODEL"):
        return Path(os.environ["MEDVERK_TEST_MODEL"])
    models = sorted((PROJECT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


@pytest.fixture(scope="module")
def agent() -> Agent:
    model = _model()
    if model is None:
        pytest.skip("no trained model (make train)")
    os.environ.setdefault("MEDVERK_ACTION_SERVER_URL", "http://127.0.0.1:9")
    os.environ.setdefault("MEDVERK_ACTION_TOKEN", "unused")
    return Agent.load(str(model))


def _prediction_points(domain: Domain) -> list[DialogueStateTracker]:
    """The tracker before every action of every recorded conversation (one turn's copy)."""
    points = []
    for sender, events in conversations().items():
        stored: list[dict[str, Any]] = []
        for turn in turns(events):
            tracker = clone_tracker(DialogueStateTracker.from_dict(sender, stored, domain.slots))
            for event in DialogueStateTracker.from_dict(sender, turn, domain.slots).events:
                if isinstance(event, ActionExecuted):
                    points.append(tracker)
                tracker.update(event)
            stored = [event.as_dict() for event in tracker.events]
    return points


def _without_time(event: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key != "timestamp"}


def _predictions(agent: Agent, trackers: list[DialogueStateTracker]) -> list[Any]:
    out = []
    for tracker in trackers:
        prediction = agent.processor._predict_next_with_tracker(tracker)
        out.append(
            (
                prediction.policy_name,
                prediction.max_confidence_index,
                prediction.probabilities,
                # Events made at prediction time carry the time they were made.
                [_without_time(event.as_dict()) for event in prediction.events],
                prediction.is_end_to_end_prediction,
                prediction.is_no_user_prediction,
                prediction.hide_rule_turn,
            )
        )
    return out


def test_the_model_predicts_the_same_at_every_point_of_real_conversations(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    points = _prediction_points(agent.domain)
    # Each prediction gets its own copy (the processor clears a follow-up action on it).
    expected = _predictions(agent, [clone_tracker(t) for t in points])
    monkeypatch.setattr(DialogueStateTracker, "applied_events", incremental_applied_events)
    monkeypatch.setattr(Domain, "states_for_tracker_history", cached_states_for_tracker_history())
    got = _predictions(agent, [clone_tracker(t) for t in points])
    assert len(points) > 100
    different = [(i, g, e) for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
    assert not different, different[:2]
    assert len({p[1] for p in expected}) > 10  # many different actions predicted


def _rule_policy(agent: Agent) -> Any:
    from rasa.core.policies.rule_policy import RulePolicy

    nodes = agent.processor.graph_runner._instantiated_nodes.values()  # type: ignore[attr-defined]
    found = [node._component for node in nodes if isinstance(node._component, RulePolicy)]
    assert len(found) == 1
    return found[0]


def test_the_cut_rule_lookup_finds_the_rules_rasa_finds(agent: Agent) -> None:
    """At every prediction point, for both rule tables: the same set of matching rules."""
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

    from medverk.policy_lookups import possible_rule_keys

    policy = _rule_policy(agent)
    compared = found = 0
    for tracker in _prediction_points(agent.domain):
        states = policy._prediction_states(
            tracker, agent.domain, rule_only_data=policy._get_rule_only_data()
        )
        for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
            expected = RulePolicy._get_possible_keys(policy, policy.lookup[table], states)
            assert possible_rule_keys(policy, policy.lookup[table], states) == expected
            compared += 1
            found += len(expected)
    assert compared > 200 and found >= 100


def test_the_model_predicts_the_same_with_the_cut_rule_and_memo_lookups(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.policies.rule_policy import RulePolicy

    from medverk.policy_lookups import install_rule_lookup_cut

    points = _prediction_points(agent.domain)
    expected = _predictions(agent, [clone_tracker(t) for t in points])
    from rasa.core.policies.memoization import MemoizationPolicy

    from medverk.policy_lookups import install_memo_lookup_cut

    monkeypatch.setattr(RulePolicy, "_get_possible_keys", RulePolicy._get_possible_keys)
    monkeypatch.setattr(
        RulePolicy, "_rule_key_to_state", staticmethod(RulePolicy._rule_key_to_state)
    )
    monkeypatch.setattr(MemoizationPolicy, "_recall_states", MemoizationPolicy._recall_states)
    install_rule_lookup_cut()
    install_memo_lookup_cut()
    got = _predictions(agent, [clone_tracker(t) for t in points])
    different = [(i, g, e) for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
    assert not different, different[:2]


@pytest.mark.parametrize("compressed", [True, False])
def test_a_memo_key_tells_how_many_states_it_holds(agent: Agent, compressed: bool) -> None:
    from rasa.core.policies.memoization import MemoizationPolicy

    from medverk.policy_lookups import key_state_count

    nodes = agent.processor.graph_runner._instantiated_nodes.values()  # type: ignore[attr-defined]
    policy = next(n._component for n in nodes if type(n._component) is MemoizationPolicy)
    policy_config = dict(policy.config, enable_feature_string_compression=compressed)
    counted = 0
    for tracker in _prediction_points(agent.domain)[:60]:
        states = policy._prediction_states(tracker, agent.domain)
        key = MemoizationPolicy._create_feature_key(
            type("P", (), {"config": policy_config})(), states
        )
        if key is not None:
            assert key_state_count(key, compressed) == len(states)
            counted += 1
    assert counted > 30
    # The trained policy's own keys all read as states (so the cut is on).
    assert all(key_state_count(key, True) for key in policy.lookup)
