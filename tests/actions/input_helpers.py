"""Helpers for the input actions' tests: trackers, rendering responses like Rasa does."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions import store
from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.settings import PROJECT_ROOT
from medverk.store.db import create_engine, create_sessionmaker

TODAY = "2026-11-28"

SENDER = "web:input-test-sender"
RESPONSES: dict[str, Any] = yaml.safe_load(
    (PROJECT_ROOT / "domain" / "input.yml").read_text(encoding="utf-8")
)["responses"]


def make_tracker(
    text: str,
    *,
    malform: str = "nn",
    intent: str = "give_input",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    events: list[dict[str, Any]] | None = None,
    sender: str = SENDER,
) -> Tracker:
    """A tracker whose latest message is `text` with the given intent and slots."""
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {"malform": malform, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": entities or [],
            },
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


def _matches(variation: dict[str, Any], slots: dict[str, Any]) -> bool:
    return all(slots.get(c["name"]) == c["value"] for c in variation.get("condition", []))


def render(message: dict[str, Any], slots: dict[str, Any]) -> str:
    """The text Rasa would send: first matching variation, `{name}` from kwargs then slots."""
    if message.get("text"):
        return str(message["text"])
    # Rasa picks at random among matching variations: exactly one must match.
    [variation] = [v for v in RESPONSES[message["response"]] if _matches(v, slots)]
    values = {**slots, **message}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{message['response']} lacks {name}"
        return str(values[name])

    return re.sub(r"{([^\n{}]+?)}", fill, variation["text"])


def transcript(dispatcher: CollectingDispatcher, slots: dict[str, Any]) -> str:
    """Everything the dispatcher would say, rendered, one message per line."""
    return "\n".join(render(m, slots) for m in dispatcher.messages)


@pytest.fixture
async def input_store(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The action server's store with the sample cases; today pinned to 2026-11-28."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_TODAY", TODAY)
    monkeypatch.setenv("MEDVERK_RETENTION_DAYS", "365")
    store.reset()
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    result = await sync_cases(sessionmaker, FileCaseSource(PROJECT_ROOT / "data" / "cases"))
    assert result.ok
    yield sessionmaker
    await engine.dispose()
    if store.get_sessionmaker.cache_info().currsize:
        await store.get_sessionmaker().kw["bind"].dispose()
    store.reset()


async def run(action: Any, tracker: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    """Run an action like the action server does; return what it said and its events."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher, events


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values set by `events`, last one wins."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
