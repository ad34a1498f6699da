"""The global slot validation is called only for turns that extracted `malform` (real Rasa).

A real aiohttp action endpoint counts its calls; Rasa's own `ActionExtractSlots` runs the
validation step with the launcher's skip installed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from medverk.rasa_launcher import install_validation_call_skip
from tests.engine.action_endpoint import action_endpoint

DOMAIN = Domain.from_dict(
    {
        "actions": ["action_validate_slot_mappings"],
        "entities": ["malform", "age_group"],
        "slots": {
            "malform": {"type": "text", "mappings": [{"type": "from_entity", "entity": "malform"}]},
            "age_group": {
                "type": "text",
                "mappings": [{"type": "from_entity", "entity": "age_group"}],
            },
        },
    }
)


@pytest.fixture(scope="module", autouse=True)
def skip_installed() -> None:
    original = ActionExtractSlots._execute_validation_action
    install_validation_call_skip()
    yield
    ActionExtractSlots._execute_validation_action = original  # type: ignore[method-assign]


async def _validate(extracted: list[SlotSet]) -> tuple[list[Any], int]:
    calls = []

    async def webhook(request: web.Request) -> web.Response:
        calls.append(await request.json())
        # Like actions/malform_choice.py keeping a chosen målform.
        return web.json_response(
            {"events": [{"event": "slot", "name": "malform", "value": "nn"}], "responses": []}
        )

    async with action_endpoint(webhook) as url:
        events = await ActionExtractSlots(EndpointConfig(url))._execute_validation_action(
            extracted,
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("web:test", DOMAIN.slots),
            DOMAIN,
        )
    return events, len(calls)


def test_a_turn_that_extracts_malform_is_validated_by_the_action_server() -> None:
    events, calls = asyncio.run(_validate([SlotSet("malform", "nb")]))
    assert calls == 1
    assert events == [SlotSet("malform", "nn")]  # the chosen målform wins


def test_a_turn_without_malform_makes_no_call_and_keeps_its_slots() -> None:
    events, calls = asyncio.run(_validate([SlotSet("age_group", "16-17")]))
    assert calls == 0
    assert events == [SlotSet("age_group", "16-17")]


def test_a_turn_that_extracts_nothing_makes_no_call() -> None:
    assert asyncio.run(_validate([])) == ([], 0)
