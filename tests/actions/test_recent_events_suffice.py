"""The actions look back no further than the events the launcher sends them."""

from __future__ import annotations

from actions.knowledge import MISSES_BEFORE_HUMAN, consecutive_misses
from medverk.rasa_launcher import ACTION_SERVER_USER_TURNS


def _user(intent: str) -> dict[str, object]:
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_the_misses_before_a_human_fit_in_the_events_sent() -> None:
    # Every miss the fallback counts is among the latest user messages sent to it.
    assert MISSES_BEFORE_HUMAN < ACTION_SERVER_USER_TURNS
    sent = [_user("nlu_fallback") for _n in range(ACTION_SERVER_USER_TURNS)]
    assert consecutive_misses(sent) >= MISSES_BEFORE_HUMAN
    assert consecutive_misses([_user("greet"), *sent[-MISSES_BEFORE_HUMAN:]]) == MISSES_BEFORE_HUMAN
