"""Giving input end to end: /api/chat → gateway → trained Rasa → action server → store.

A Nynorsk and a Bokmål user each give input on a sample case; the row is in
the store with the right fields, status works, and deletion removes the rows
and the Rasa conversation. Needs a trained model (`make train`, or
MEDVERK_TEST_MODEL).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from medverk.identity import sender_key
from medverk.runner import Stack, running_stack
from medverk.settings import Settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import AgendaItem, Input

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(trained_model_path: Path) -> Iterator[Stack]:
    """The whole Medverk on free ports with the trained model, today pinned."""
    extra_env = {"MEDVERK_TODAY": "2026-11-28"}
    with running_stack(model=trained_model_path, extra_env=extra_env) as running:
        yield running


class Chat:
    """One citizen talking to the widget's chat API."""

    def __init__(self, session: aiohttp.ClientSession, url: str, sender: str) -> None:
        self.session, self.url, self.sender = session, url, sender

    async def say(self, message: str) -> list[dict[str, Any]]:
        async with self.session.post(
            f"{self.url}/api/chat", json={"sender": self.sender, "message": message}
        ) as response:
            assert response.status == 200, await response.text()
            return (await response.json())["messages"]

    async def text(self, message: str) -> str:
        return "\n".join(m["text"] for m in await self.say(message))


async def wait_for_cases(settings: Settings) -> None:
    """The gateway syncs the sample cases at start; wait until they are in the store."""
    engine = create_engine(settings.database_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            async with create_sessionmaker(engine)() as session:
                if await session.scalar(select(func.count()).select_from(AgendaItem)):
                    return
            await asyncio.sleep(0.5)
        pytest.fail("the gateway did not sync the sample cases within 60 s")
    finally:
        await engine.dispose()


async def stored_inputs(settings: Settings, sender_id: str) -> list[Input]:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            key = sender_key(settings.secret_key, sender_id)
            return list(await session.scalars(select(Input).where(Input.sender_key == key)))
    finally:
        await engine.dispose()


def tracker_events(settings: Settings, sender_id: str) -> int:
    with sqlite3.connect(settings.rasa_tracker_db) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender_id,)
        ).fetchone()
    return int(count)


async def test_nynorsk_user_gives_input_checks_status_and_deletes(stack: Stack) -> None:
    """Nynorsk: case number → text → age button → no contact → yes; status; deletion."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "e2e-nynorsk-0001"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        reply = await chat.text("hei, eg vil gi innspel på sak 26/411")
        assert "Gratis buss for ungdom under 20 år" in reply and "Kva vil du seie" in reply
        text = "Bussen er alt for dyr, mange av oss har ikkje råd til å kome seg heim frå trening"
        age_question = await chat.say(text)
        assert "Kor gammal er du?" in age_question[-1]["text"]
        assert any(b["title"] == "16–17" for b in age_question[-1]["buttons"])
        consent = await chat.text('/inform_age{"age_group": "16-17"}')
        assert "Vil du ha svar frå kommunen på e-post eller SMS?" in consent
        summary = await chat.text("nei takk")
        assert text in summary and "Skal eg sende dette til kommunen?" in summary
        received = await chat.text("ja")
        assert "Eg har lagra innspelet ditt" in received

        [row] = await stored_inputs(settings, f"web:{sender}")
        assert (row.case_ref, row.malform, row.channel) == ("2026/411", "nn", "web")
        assert (row.text, row.age_group, row.status) == (text, "16-17", "new")
        assert row.contact is None and not row.consent_contact
        assert sender not in row.sender_key

        status = await chat.text("kva skjedde med innspelet mitt?")
        assert "Gratis buss for ungdom under 20 år" in status and "ikkje lese enno" in status

        assert tracker_events(settings, f"web:{sender}") > 0
        confirm = await chat.text("slett dataa mine")
        assert "Du har sendt eitt innspel." in confirm
        done = await chat.text("ja")
        assert "Eg har sletta innspelet ditt og heile samtalen vår" in done
        assert await stored_inputs(settings, f"web:{sender}") == []
        assert tracker_events(settings, f"web:{sender}") == 0


async def test_bokmaal_user_gives_input_with_contact_and_an_interruption(stack: Stack) -> None:
    """Bokmål: topic words → privacy question mid-form → text → age → phone → yes."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "e2e-bokmaal-0001"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        reply = await chat.text("jeg vil gi innspill om kulturhuset")
        assert "Nytt kulturhus i sentrum" in reply and "Hva vil du si" in reply
        privacy = await chat.text("hva skjer med dataene mine?")
        assert "Saksbehandlerne" in privacy and "Hva vil du si" in privacy  # answered, form goes on
        text = "Kulturhuset må ha øvingsrom for band og et sted å være på kvelden"
        assert "Hvor gammel er du?" in await chat.text(text)
        assert "Vil du ha svar fra kommunen på e-post eller SMS?" in await chat.text("jeg er 17")
        assert "mobilnummeret" in await chat.text("ja")
        summary = await chat.text("912 34 567")
        assert "+4791234567" in summary and "Skal jeg sende" in summary
        assert "Jeg har lagret innspillet ditt" in await chat.text("ja")

        [row] = await stored_inputs(settings, f"web:{sender}")
        assert (row.case_ref, row.malform, row.age_group) == ("2024/1187", "nb", "16-17")
        assert row.consent_contact and row.contact == "+4791234567"
        assert "ikke lest ennå" in await chat.text("hva skjedde med innspillet mitt?")


async def test_stop_mid_form_stores_nothing(stack: Stack) -> None:
    """'avbryt' in the middle of the form: cancelled, nothing stored."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "e2e-avbryt-0001"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        await chat.text("eg vil gi innspel på sak 26/411")
        assert "Ingenting er lagra" in await chat.text("avbryt")
        assert await stored_inputs(settings, f"web:{sender}") == []


async def test_an_opinion_that_starts_like_stop_is_kept(stack: Stack) -> None:
    """'avbryt nedlegginga …' at the text question is not thrown away: the citizen chooses."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "e2e-avbryt-0002"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        await chat.text("eg vil gi innspel på sak 26/411")
        text = "avbryt nedlegginga av skulen!! det er feil"  # starts like "stop"
        reply = await chat.say(text)
        if "Vil du avbryte, eller skal eg bruke det du skreiv" in reply[-1]["text"]:
            # Heard as "stop": the citizen is asked, never cancelled, and can keep the text.
            assert [b["payload"] for b in reply[-1]["buttons"]] == ["/stop", "/give_input"]
            assert "Kor gammal er du?" in await chat.text("/give_input")
        else:
            # Heard as the opinion it is: kept, and the form goes on.
            assert "Kor gammal er du?" in reply[-1]["text"]
        await chat.text('/inform_age{"age_group": "16-17"}')
        summary = await chat.text("nei takk")
        assert text in summary and "Gratis buss for ungdom under 20 år" in summary
        assert "Ingenting er lagra" in await chat.text("avbryt")
        assert await stored_inputs(settings, f"web:{sender}") == []


async def test_an_email_address_keeps_the_bokmaal_conversation_in_bokmaal(stack: Stack) -> None:
    """A bare e-mail address tells nothing about målform: the next reply stays Bokmål."""
    settings = stack.settings()
    await wait_for_cases(settings)
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, "e2e-epost-0001")
        await chat.text("jeg vil gi innspill til sak 26/411")
        await chat.text("Gratis buss hadde vært veldig bra for oss som bor langt unna")
        await chat.text("jeg er 16")
        await chat.text("ja")
        summary = await chat.text("ola.nordmann@example.no")
        assert "Skal jeg sende" in summary


async def test_a_chosen_malform_stays_until_the_user_asks_again(stack: Stack) -> None:
    """A Bokmål writer who asks for Nynorsk keeps getting Nynorsk, until asking for Bokmål."""
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, "e2e-malform-0001")
        assert "Jeg kan hjelpe deg" in await chat.text("hva kan du hjelpe meg med?")
        assert "no skriv eg nynorsk" in await chat.text("kan du skrive nynorsk?")
        assert "Eg kan hjelpe deg" in await chat.text("hva kan du hjelpe meg med?")
        assert "nå skriver jeg bokmål" in await chat.text("skriv bokmål igjen")
        assert "Jeg kan hjelpe deg" in await chat.text("hva kan du hjelpe meg med?")
