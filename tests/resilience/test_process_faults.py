"""A part of the stack killed with SIGKILL: restarted, nothing lost, the conversation goes on.

The runner's supervisor restarts the part; meanwhile the chat API answers 503
with a kind text in the person's målform (never an empty 200), /healthz names
the part that is down, and after the restart the same message continues the
form from where it was (the action server) or from the SQL tracker store (the
Rasa engine).
"""

from __future__ import annotations

import aiohttp
import pytest
from stack_chat import (
    Chat,
    health,
    kill,
    stored_inputs,
    until_answered,
    wait_for_cases,
    wait_healthy,
)

from medverk.identity import rasa_sender_id
from medverk.runner import Stack

pytestmark = pytest.mark.stack

UNAVAILABLE_NB = "Jeg får ikke svart akkurat nå."
UNAVAILABLE_NN = "Eg får ikkje svara akkurat no."


async def test_action_server_killed_mid_form_the_form_goes_on_after_restart(stack: Stack) -> None:
    """Bokmål form; SIGKILL the action server at the text question; retry → age question."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "resil-actions-0001"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        assert "Hva vil du si" in await chat.text("jeg vil gi innspill på sak 26/411")
        old_pid = kill(stack, "actions")
        status, body = await health(stack.gateway_url)
        assert status == 503 and body["status"] == "degraded"
        assert body["parts"]["action_server"]["status"] == "down"
        assert body["parts"]["rasa"]["status"] == "ok"
        text = "Gratis buss hadde vært bra, mange av oss har ikke råd til å ta bussen hjem"
        status, body = await chat.post(text)
        assert status == 503 and body["error"]["code"] == "assistant_unavailable"
        assert body["messages"][0]["text"].startswith(UNAVAILABLE_NB)
        await wait_healthy(stack.gateway_url, timeout=60)
        assert stack.processes["actions"].pid != old_pid
        assert "Hvor gammel er du?" in await until_answered(chat, text)
        assert "Vil du ha svar" in await chat.text("jeg er 17")
        assert "Skal jeg sende" in await chat.text("nei takk")
        assert "har lagret innspillet" in await chat.text("ja")
    [row] = await stored_inputs(settings, f"web:{sender}")
    assert (row.text, row.age_group, row.malform) == (text, "16-17", "nb")


async def test_action_server_killed_before_a_question_the_turn_is_undone(stack: Stack) -> None:
    """Outside a form the failed turn is rewound: after the restart the question is answered."""
    settings = stack.settings()
    await wait_for_cases(settings)
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, "resil-actions-0002")
        assert await chat.text("hei")
        kill(stack, "actions")
        status, body = await chat.post("kva saker kjem opp snart?")
        assert status == 503 and body["messages"][0]["text"].startswith(UNAVAILABLE_NN)
        status, body = await chat.post("kva saker kjem opp snart?")  # refused before Rasa
        assert status == 503
        await wait_healthy(stack.gateway_url, timeout=60)
        assert "Gratis buss for ungdom under 20 år" in await until_answered(
            chat, "kva saker kjem opp snart?"
        )
        rasa_sender = rasa_sender_id("web", chat.sender, settings.secret_key)
        async with session.get(
            f"{stack.rasa_url}/conversations/{rasa_sender}/tracker",
            params={"token": settings.rasa_api_token},
        ) as response:
            events = (await response.json())["events"]
    assert [e["event"] for e in events].count("rewind") == 1


async def test_engine_killed_mid_conversation_continues_from_the_tracker_store(
    stack: Stack,
) -> None:
    """Nynorsk form; SIGKILL Rasa at the age question; after its restart the age is taken."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "resil-engine-0001"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        assert "Kva vil du seie" in await chat.text("eg vil gi innspel på sak 26/411")
        text = "Bussen er alt for dyr for oss som bur langt ute, det er ikkje rettferdig"
        assert "Kor gammal er du?" in await chat.text(text)
        kill(stack, "rasa")
        status, body = await health(stack.gateway_url)
        assert status == 503 and body["parts"]["rasa"]["status"] == "down"
        assert body["parts"]["action_server"]["status"] == "ok"
        status, body = await chat.post("eg er 16")
        assert status == 503 and body["messages"][0]["text"].startswith(UNAVAILABLE_NN)
        await wait_healthy(stack.gateway_url)
        assert "Vil du ha svar" in await until_answered(chat, "eg er 16")
        summary = await chat.text("nei takk")
        assert text in summary
        assert "har lagra innspelet" in await chat.text("ja")
    [row] = await stored_inputs(settings, f"web:{sender}")
    assert (row.text, row.age_group, row.malform) == (text, "16-17", "nn")


async def test_gateway_killed_is_restarted(stack: Stack) -> None:
    """SIGKILL the gateway: the supervisor starts it again and it answers."""
    kill(stack, "gateway")
    seconds = await wait_healthy(stack.gateway_url, timeout=60)
    assert seconds < 60
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, "resil-gateway-0001")
        assert await chat.text("hei")
