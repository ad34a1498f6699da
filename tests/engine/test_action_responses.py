"""The launcher's prebuilt validator still rejects invalid action responses (real Rasa).

A real aiohttp action endpoint answers Rasa's own `RemoteAction.run`: a valid response
becomes events, an invalid one raises jsonschema's `ValidationError` as in stock Rasa.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from medverk.action_responses import install_action_result_validator
from tests.engine.action_endpoint import action_endpoint

VALID = {"events": [{"event": "slot", "name": "malform", "value": "nn"}], "responses": []}
INVALIDS = {
    "events not a list": {"events": {"event": "slot"}, "responses": []},
    "unknown event type": {"events": [{"event": "no_such_event"}], "responses": []},
    "response not an object": {"events": [], "responses": ["hei"]},
}


@pytest.fixture(scope="module", autouse=True)
def prebuilt_validator() -> None:
    original = RemoteAction._validate_action_result
    install_action_result_validator()
    assert RemoteAction._validate_action_result is not original
    yield
    RemoteAction._validate_action_result = original  # type: ignore[method-assign]


async def _run_against(body: dict[str, Any]) -> list[Any]:
    async def webhook(_request: web.Request) -> web.Response:
        return web.json_response(body)

    async with action_endpoint(webhook) as url:
        return await RemoteAction("action_x", EndpointConfig(url)).run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("web:test", []),
            Domain.empty(),
        )


def test_valid_response_is_accepted() -> None:
    events = asyncio.run(_run_against(VALID))
    assert events == [SlotSet("malform", "nn")]


@pytest.mark.parametrize("case", sorted(INVALIDS))
def test_invalid_response_is_rejected_like_stock_rasa(case: str) -> None:
    with pytest.raises(ValidationError) as caught:
        asyncio.run(_run_against(INVALIDS[case]))
    assert "Failed to validate Action server response" in caught.value.message


@pytest.mark.parametrize("case", sorted(INVALIDS))
def test_same_verdict_as_jsonschema_validate(case: str) -> None:
    from jsonschema import validate

    schema = RemoteAction.action_response_format_spec()
    with pytest.raises(ValidationError) as stock:
        validate(INVALIDS[case], schema)
    with pytest.raises(ValidationError) as ours:
        RemoteAction("action_x", None)._validate_action_result(INVALIDS[case])
    assert ours.value.message.startswith(stock.value.message)
    assert list(ours.value.path) == list(stock.value.path)


def _typed_values() -> list[Any]:
    return [None, True, 1, 1.5, "x", [], [{}], {}, {"event": "slot"}]


def _responses() -> list[dict[str, Any]]:
    """Valid and invalid responses: every event type, each property given every kind of value."""
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    cases: list[dict[str, Any]] = [VALID, *INVALIDS.values(), {}, {"events": None}]
    cases += [{"events": value} for value in _typed_values()]
    cases += [{"responses": value} for value in _typed_values()]
    cases += [{"events": [value]} for value in _typed_values()]
    for branch in EVENT_SCHEMA["oneOf"]:
        name = branch["properties"]["event"]["const"]
        base = {"event": name, **{key: "x" for key in branch.get("required", [])}}
        cases.append({"events": [base]})
        cases.append({"events": [{k: v for k, v in base.items() if k != "event"}]})
        for prop in [*branch["properties"], "timestamp", "metadata"]:
            if prop == "event":
                continue
            cases += [{"events": [base, {**base, prop: value}]} for value in _typed_values()]
    return cases


def test_quick_check_never_accepts_what_jsonschema_rejects() -> None:
    """The event-type dispatch accepts exactly what Rasa's full schema accepts."""
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    full = validators.validator_for(schema)(schema)
    action = RemoteAction("action_x", None)
    verdicts = {"valid": 0, "invalid": 0}
    for response in _responses():
        if full.is_valid(response):
            assert action._validate_action_result(response) is True, response
            verdicts["valid"] += 1
        else:
            with pytest.raises(ValidationError):
                action._validate_action_result(response)
            verdicts["invalid"] += 1
    # Both kinds are there in numbers (not a test that only ever sees one verdict).
    assert verdicts["valid"] > 50 and verdicts["invalid"] > 100, verdicts


def test_rasa_3_6_schema_splits_into_one_branch_per_event_type() -> None:
    from medverk.action_responses import _event_dispatch

    split = _event_dispatch(RemoteAction.action_response_format_spec())
    assert split is not None
    rest, by_type = split
    assert len(by_type) == 23 and {"slot", "bot", "active_loop", "followup"} <= set(by_type)
    assert "oneOf" not in rest["properties"]["events"]["items"]
