"""F3: Rasa's REST channel and the action server act only for the gateway and Rasa.

On the real stack: a local process that knows a citizen's sender id can neither
talk to Rasa's REST webhook as that citizen nor call an action (status, delete)
on the action server. The gateway and Rasa still work: a chat turn is answered,
which needs both secrets to be right.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from medverk.runner import Stack, StackPorts, running_stack

pytestmark = pytest.mark.stack

SENDER = "web:" + "f3victimsenderid0123456789"


@pytest.fixture(scope="module")
def stack(trained_model_path: Path) -> Iterator[Stack]:
    with running_stack(model=trained_model_path) as running:
        yield running


def _forged_action_call(action: str) -> dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": SENDER,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": SENDER,
            "slots": {},
            "latest_message": {"intent": {"name": "affirm"}, "entities": [], "text": "ja"},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


async def test_action_server_refuses_callers_without_rasas_secret(stack: Stack) -> None:
    """A forged tracker without (or with a wrong) secret header gets 403, also as text/plain."""
    async with aiohttp.ClientSession() as session:
        url = f"{stack.action_server_url}/webhook"
        for action in ("action_ask_input_status", "action_delete_my_data"):
            body = _forged_action_call(action)
            async with session.post(url, json=body) as response:
                assert response.status == 403, await response.text()
            async with session.post(
                url, json=body, headers={"X-Medverk-Action-Token": "wrong"}
            ) as response:
                assert response.status == 403
        async with session.post(
            url,
            data='{"next_action": "action_delete_my_data"}',
            headers={"Content-Type": "text/plain"},
        ) as response:
            assert response.status == 403
        async with session.get(f"{stack.action_server_url}/health") as response:
            assert response.status == 200


async def test_rasa_rest_channel_refuses_callers_without_the_gateways_secret(
    stack: Stack,
) -> None:
    """POST /webhooks/rest/webhook as a citizen: 403 without the gateway's token."""
    async with aiohttp.ClientSession() as session:
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        body = {"sender": SENDER, "message": "/ask_input_status"}
        async with session.post(url, json=body) as response:
            assert response.status == 403, await response.text()
        async with session.post(
            url, json=body, headers={"X-Medverk-Gateway-Token": "x" * 40}
        ) as response:
            assert response.status == 403


async def test_the_gateway_still_gets_answers(stack: Stack) -> None:
    """Gateway → Rasa (channel token) → action server (action token) still works."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{stack.gateway_url}/api/chat",
            json={
                "sender": "f3gatewaysender0123456789",
                "message": "kva skjedde med innspelet mitt?",
            },
        ) as response,
    ):
        assert response.status == 200
        messages = (await response.json())["messages"]
    assert messages and all(message.get("text") for message in messages)


def test_both_services_bind_loopback_by_default() -> None:
    """The runner starts the action server on 127.0.0.1 only (Rasa gets --interface 127.0.0.1)."""
    assert (
        Stack(ports=StackPorts(), var_dir=Path("/nonexistent")).env()["SANIC_HOST"] == "127.0.0.1"
    )


async def test_rasa_answers_with_the_malform_the_turn_saved(stack: Stack) -> None:
    """The channel's header carries the slot, so the gateway need not load the tracker."""
    headers = {"X-Medverk-Gateway-Token": stack.settings().rasa_channel_token}
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    sender = "web:" + "malformheader0123456789"
    seen = []
    async with aiohttp.ClientSession() as session:
        for message in ("kva skjedde med innspelet mitt?", "hva skjedde med innspillet mitt?"):
            body = {"sender": sender, "message": message}
            async with session.post(url, json=body, headers=headers) as response:
                assert response.status == 200
                seen.append(response.headers.get("X-Medverk-Malform"))
            async with session.get(
                f"{stack.rasa_url}/conversations/{sender}/tracker",
                params={"include_events": "NONE", "token": stack.settings().rasa_api_token},
            ) as response:
                assert seen[-1] == (await response.json())["slots"]["malform"]
    assert seen[0] == "nn"
