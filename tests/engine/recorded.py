"""Real conversations recorded from the stack, and a tracker's whole state as plain data.

`data/recorded_conversations.json`: every event the engine stored for five conversations
played through the gateway (`medverk.runner --test-ports`, the trained model): a full
input in Nynorsk and in Bokmål, a form interrupted by a question, a form stopped, and
twenty questions in a row.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections import deque
from functools import cache
from pathlib import Path
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

PROJECT = Path(__file__).resolve().parents[2]
RECORDED = Path(__file__).parent / "data" / "recorded_conversations.json"


@cache
def conversations() -> dict[str, list[dict[str, Any]]]:
    """Sender id -> the stored events (as Rasa stores them: `event.as_dict()`)."""
    data: dict[str, list[dict[str, Any]]] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return data


@cache
def domain() -> Domain:
    """Medverk's domain (domain/), as the engine has it."""
    return Domain.load(str(PROJECT / "domain"))


def turns(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The events split where the engine saves: before each user message."""
    starts = [i for i, event in enumerate(events) if event["event"] == "user" and i > 0]
    bounds = [0, *starts, len(events)]
    return [events[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def plain(value: Any) -> Any:
    """Events, slots, dataclasses and containers as comparable plain data."""
    if isinstance(value, (Event, Slot)):
        return (type(value).__name__, {k: plain(v) for k, v in vars(value).items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, plain(dataclasses.asdict(value)))
    if isinstance(value, (deque, list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def tracker_state(tracker: DialogueStateTracker | None) -> Any:
    """Everything a tracker holds (but what medverk keeps on it to go faster)."""
    if tracker is None:
        return None
    state = {
        key: plain(value) for key, value in vars(tracker).items() if not key.startswith("_medverk")
    }
    for key in ("latest_message", "latest_bot_utterance"):
        # Before the first message, the empty placeholder made when the tracker was.
        if not any(event is vars(tracker)[key] for event in tracker.events):
            state[key][1].pop("timestamp", None)
    return state | {"type": type(tracker).__name__}
