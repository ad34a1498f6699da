"""The policies' debug lines are built as before when logged, not at all otherwise (rasa env)."""

from __future__ import annotations

import logging

import pytest
import rasa.core.policies.memoization as memoization
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy

from medverk.rasa_launcher import install_debug_log_skip

STATES = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memoization, "copy", memoization.copy)
    monkeypatch.setattr(RulePolicy, "format_tracker_states", RulePolicy.format_tracker_states)
    install_debug_log_skip()


@pytest.mark.usefixtures("installed")
def test_without_debug_logging_nothing_is_copied_or_formatted() -> None:
    logging.getLogger("rasa.core.policies").setLevel(logging.INFO)
    assert memoization.copy.deepcopy(STATES) is STATES
    assert RulePolicy.format_tracker_states(STATES) == ""


@pytest.mark.usefixtures("installed")
def test_with_debug_logging_the_lines_are_as_before() -> None:
    logging.getLogger("rasa.core.policies").setLevel(logging.DEBUG)
    try:
        copied = memoization.copy.deepcopy(STATES)
        assert copied == STATES and copied is not STATES and copied[0] is not STATES[0]
        assert RulePolicy.format_tracker_states(STATES) == Policy.format_tracker_states(STATES)
        assert "user intent: greet" in RulePolicy.format_tracker_states(STATES)
    finally:
        logging.getLogger("rasa.core.policies").setLevel(logging.NOTSET)
