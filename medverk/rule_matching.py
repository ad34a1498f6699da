"""Rasa's rule lookup without walking the whole conversation (rasa env; the launcher).

`RulePolicy._get_possible_keys` finds the rules that match the end of a conversation:
it walks every state of the conversation from the latest back, and at each step keeps
the rules whose state that far back matches (`_is_rule_applicable`, which decodes the
rule's JSON key again every time). A rule is only checked as far back as it is long:
further back, `_is_rule_applicable` is always true. Yet the walk went on to the first
state of the conversation, for every rule, several times a turn: a turn cost more the
longer the conversation was.

Here the walk stops once it is further back than the longest rule still possible
(every rule left would be kept at every step after), or when no rule is left, and a
rule's states are decoded once. The rules found are the same set as Rasa's.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

__all__ = ["install_rule_lookup_cut", "possible_rule_keys", "reversed_rule_states"]


@lru_cache(maxsize=20_000)
def reversed_rule_states(rule_key: str) -> tuple[dict[str, Any], ...]:
    """A rule's states, latest first, decoded once (they are only read)."""
    return tuple(reversed(json.loads(rule_key)))


def possible_rule_keys(policy: Any, lookup: dict[str, Any], states: list[Any]) -> set[str]:
    """`RulePolicy._get_possible_keys`, walking back only as far as a rule reaches."""
    possible = set(lookup)
    for index, state in enumerate(reversed(states)):
        if not possible or index >= max(len(reversed_rule_states(key)) for key in possible):
            break
        possible = {key for key in possible if policy._is_rule_applicable(key, index, state)}
    return possible


def _is_rule_applicable(policy: Any, rule_key: str, turn_index: int, state: Any) -> bool:
    """`RulePolicy._is_rule_applicable` with the rule's states decoded once."""
    from rasa.shared.core.constants import PREVIOUS_ACTION

    rule_states = reversed_rule_states(rule_key)
    if turn_index >= len(rule_states):
        return True
    current_previous_action = state.get(PREVIOUS_ACTION)
    rule_previous_action = rule_states[turn_index].get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return bool(policy._does_rule_match_state(rule_states[turn_index], state))


def install_rule_lookup_cut() -> None:
    """Replace the two `RulePolicy` methods with the ones above."""
    from rasa.core.policies.rule_policy import RulePolicy

    RulePolicy._get_possible_keys = possible_rule_keys
    RulePolicy._is_rule_applicable = _is_rule_applicable
