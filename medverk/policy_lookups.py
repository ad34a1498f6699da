"""Rasa's rule and memoization lookups without the whole conversation (rasa env; launcher).

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

The Memoization policy's lookup (`install_memo_lookup_cut`) is skipped when the
conversation has more states than any key it learnt: then no key can match.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

__all__ = [
    "install_memo_lookup_cut",
    "install_rule_lookup_cut",
    "key_state_count",
    "possible_rule_keys",
    "rule_states",
]


@lru_cache(maxsize=20_000)
def rule_states(rule_key: str) -> list[dict[str, Any]]:
    """A rule's states, decoded from its key once (`RulePolicy._rule_key_to_state` decodes
    it again at every check; its callers only read what it gives)."""
    states: list[dict[str, Any]] = json.loads(rule_key)
    return states


def possible_rule_keys(policy: Any, lookup: dict[str, Any], states: list[Any]) -> set[str]:
    """`RulePolicy._get_possible_keys`, walking back only as far as a rule reaches."""
    possible = set(lookup)
    for index, state in enumerate(reversed(states)):
        if not possible or index >= max(len(rule_states(key)) for key in possible):
            break
        possible = {key for key in possible if policy._is_rule_applicable(key, index, state)}
    return possible


def install_rule_lookup_cut() -> None:
    """`RulePolicy` walks back only as far as a rule reaches and decodes each rule once."""
    from rasa.core.policies.rule_policy import RulePolicy

    RulePolicy._get_possible_keys = possible_rule_keys
    RulePolicy._rule_key_to_state = staticmethod(rule_states)


def key_state_count(key: str, compressed: bool) -> int | None:
    """How many states a Memoization key holds (it is their JSON without quotes, maybe
    zlib-compressed in base64); None when the key does not read as a list of states."""
    import base64
    import zlib

    text = zlib.decompress(base64.b64decode(key)).decode("utf-8") if compressed else key
    depth = states = 0
    for char in text:
        if char in "[{":
            depth += 1
            if char == "{" and depth == 2:
                states += 1
        elif char in "]}":
            depth -= 1
            if depth < 0:
                return None
    return states if depth == 0 and text.startswith("[") else None


def install_memo_lookup_cut() -> None:
    """`MemoizationPolicy._recall_states` skips conversations longer than any memorised one.

    With Rasa's default `max_history` (none) the policy's key is the JSON of every state
    of the conversation, built (and compressed) every turn; once the conversation has more
    states than the longest key the policy learnt, no key can be equal, so the lookup's
    answer is known without building it: nothing. Shorter conversations are looked up as
    before. A key that does not read as states turns the cut off for that policy.
    """
    from rasa.core.policies.memoization import MemoizationPolicy

    recall_states = MemoizationPolicy._recall_states

    def longest(policy: Any) -> int | None:
        if "_medverk_longest_key" not in policy.__dict__:
            compressed = bool(policy.config.get("enable_feature_string_compression"))
            counts = [key_state_count(key, compressed) for key in policy.lookup]
            known = [count for count in counts if count is not None]
            whole = len(known) == len(counts)
            policy.__dict__["_medverk_longest_key"] = max(known, default=0) if whole else None
        found: int | None = policy.__dict__["_medverk_longest_key"]
        return found

    def cut_recall_states(self: Any, states: list[Any]) -> Any:
        most = longest(self)
        if most is not None and len(states) > most:
            return None
        return recall_states(self, states)

    MemoizationPolicy._recall_states = cut_recall_states
