"""medverk/action_calls.py against Rasa's own RemoteAction and a real HTTP action endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from medverk.action_calls import (
    close_kept_session,
    install_action_domain_trim,
    install_action_keep_alive,
)
from tests.engine.action_endpoint import action_endpoint
from tests.engine.recorded import domain as medverk_domain


@pytest.fixture(scope="module", autouse=True)
def installed() -> Iterator[None]:
    originals = (RemoteAction._action_call_format, EndpointConfig.session)
    install_action_domain_trim()
    install_action_keep_alive()
    yield
    RemoteAction._action_call_format, EndpointConfig.session = originals  # type: ignore[method-assign]


async def _calls(names: list[str], domain: Domain, **endpoint: Any) -> list[dict[str, Any]]:
    """Run RemoteActions against a real endpoint; what it received, with its connection."""
    received: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        received.append({"body": body, "peer": peer, "token": request.headers.get("X-T")})
        return web.json_response({"events": [], "responses": []})

    async with action_endpoint(webhook) as url:
        config = EndpointConfig(url, headers={"X-T": "secret"}, **endpoint)
        try:
            for name in names:
                await RemoteAction(name, config).run(
                    CollectingOutputChannel(),
                    TemplatedNaturalLanguageGenerator({}),
                    DialogueStateTracker("web:test", []),
                    domain,
                )
        finally:
            await close_kept_session(config)
    return received


def test_the_domain_goes_without_response_texts_and_only_where_rasa_sends_it() -> None:
    domain = medverk_domain()
    calls = asyncio.run(
        _calls(
            ["validate_input_form", "action_validate_slot_mappings", "action_case_details"],
            domain,
            enable_selective_domain=True,
        )
    )
    sent = [call["body"].get("domain") for call in calls]
    full = domain.as_dict()
    expected = {key: value for key, value in full.items() if key != "responses"}
    # validate_* always, send_domain: true (domain/core.yml), and not the others.
    assert sent == [expected, expected, None]
    assert full["responses"] and set(expected) == set(full) - {"responses"}


def test_without_selective_domain_every_call_still_gets_the_domain() -> None:
    calls = asyncio.run(_calls(["action_case_details"], medverk_domain()))
    assert "slots" in calls[0]["body"]["domain"]
    assert "responses" not in calls[0]["body"]["domain"]


def test_calls_reuse_one_connection_and_keep_the_endpoints_headers() -> None:
    calls = asyncio.run(_calls(["action_a", "action_b", "action_c"], Domain.empty()))
    assert len({call["peer"] for call in calls}) == 1
    assert [call["token"] for call in calls] == ["secret"] * 3
