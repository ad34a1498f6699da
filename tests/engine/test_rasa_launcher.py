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

from medverk.rasa_launcher import install_action_result_validator

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

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        action = RemoteAction("action_x", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
        return await action.run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("web:test", []),
            Domain.empty(),
        )
    finally:
        await runner.cleanup()


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
