"""The citizen's own data: privacy text, status of their input, deleting it all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from input_helpers import SENDER, input_store, make_tracker, render, run, transcript
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy import func, select

from actions import store
from actions.privacy import (
    ERASE_MARKER,
    ActionAskDeleteConfirmation,
    ActionAskInputStatus,
    ActionAskPrivacy,
    ActionDeleteMyData,
)
from medverk.clock import utcnow
from medverk.identity import sender_key
from medverk.settings import PROJECT_ROOT
from medverk.store.models import Input, OutboundMessage

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

PROMPTED = {"delete_prompted": True}

__all__ = ["input_store"]  # the fixture, imported for pytest

OTHER = "tg:someoneelse0000000000000000000"


def an_input(sender: str, key: str, **values: object) -> Input:
    fields: dict[str, object] = {
        "idempotency_key": key,
        "case_ref": "2026/411",
        "case_title": "Gratis buss for ungdom under 20 år",
        "text": "Ja takk!",
        "malform": "nn",
        "channel": "web",
        "sender_key": sender_key(store.get_settings().secret_key, sender),
        "created_at": utcnow(),
    }
    fields.update(values)
    return Input(**fields)


@pytest.mark.parametrize(
    ("malform", "words"),
    [
        ("nn", ["ikkje", "Saksbehandlarane", "365 dagar", "slett"]),
        ("nb", ["ikke", "Saksbehandlerne", "365 dager"]),
    ],
)
async def test_privacy_answer_comes_from_the_data_file(
    input_store, malform: str, words: list[str]
) -> None:
    """What is stored, who reads it, how long, how to delete, in the user's målform."""
    dispatcher, _ = await run(
        ActionAskPrivacy(), make_tracker("kva skjer med dataa mine?", malform=malform)
    )
    [message] = dispatcher.messages
    for word in words:
        assert word in message["text"]
    assert "{" not in message["text"]
    payloads = [button["payload"] for button in message["buttons"]]
    assert payloads[:2] == ["/ask_privacy_details", "/delete_my_data"]


async def test_status_lists_own_inputs_with_answer(input_store) -> None:
    """Status shows each of my inputs with its state and the officer's answer; not others'."""
    async with input_store.begin() as session:
        session.add(an_input(SENDER, "a"))
        session.add(
            an_input(SENDER, "b", status="answered", answer="Takk, vi tek det med til møtet.")
        )
        session.add(an_input(OTHER, "c", text="ikkje mitt"))
    dispatcher, _ = await run(ActionAskInputStatus(), make_tracker("ka skjedde med innspelet mitt"))
    text = transcript(dispatcher, {"malform": "nn"})
    assert text.startswith("Dette har skjedd med innspela dine:")
    assert "kommunen har svara deg:\nTakk, vi tek det med til møtet." in text
    assert "kommunen har fått det, men det er ikkje lese enno" in text
    assert "28. november" in text
    assert "ikkje mitt" not in text
    assert len(dispatcher.messages) == 3


async def test_status_without_inputs_says_so(input_store) -> None:
    """No input from this sender: a clear answer and a way to give input."""
    dispatcher, _ = await run(ActionAskInputStatus(), make_tracker("status?", malform="nb"))
    assert dispatcher.messages[0]["response"] == "utter_input_status_none"


async def test_deletion_asks_first_with_the_count(input_store) -> None:
    """Before deleting, the citizen hears how much would go and must confirm."""
    async with input_store.begin() as session:
        session.add_all([an_input(SENDER, "a"), an_input(SENDER, "b")])
    dispatcher, events = await run(ActionAskDeleteConfirmation(), make_tracker("slett meg"))
    assert render(dispatcher.messages[0], {"malform": "nn"}).startswith(
        "Du har sendt 2 innspel. Vil du slette dei og heile samtalen med meg?"
    )
    assert events == [SlotSet("delete_prompted", True)]
    async with input_store() as session:
        assert await session.scalar(select(func.count()).select_from(Input)) == 2


async def test_unclear_delete_words_get_a_question_first(input_store) -> None:
    """ "eg angra på det eg skreiv" is not a clear delete request: a question, no prompt;
    a yes to that question then shows the real prompt, never deletes at once."""
    unclear = make_tracker("eg angra på det eg skreiv", intent="delete_my_data")
    dispatcher, events = await run(ActionAskDeleteConfirmation(), unclear)
    assert [m["response"] for m in dispatcher.messages] == ["utter_delete_clarify"]
    assert events == [SlotSet("delete_prompted", False)]
    yes = make_tracker("ja", intent="affirm", slots={"delete_prompted": False})
    _, events = await run(ActionDeleteMyData(), yes)
    assert events == [FollowupAction("action_ask_delete_confirmation")]
    dispatcher, _ = await run(ActionAskDeleteConfirmation(), yes)
    assert [m["response"] for m in dispatcher.messages] == ["utter_delete_confirm_no_inputs"]


async def test_the_delete_prompt_fits_none_or_one_input(input_store) -> None:
    """No "Du har sendt 0 innspel … slette dei": nothing sent, or one input, says so."""
    dispatcher, _ = await run(ActionAskDeleteConfirmation(), make_tracker("slett meg"))
    assert render(dispatcher.messages[0], {"malform": "nb"}).startswith(
        "Du har ikke sendt noe innspill. Vil du slette samtalen med meg?"
    )
    async with input_store.begin() as session:
        session.add(an_input(SENDER, "a"))
    dispatcher, _ = await run(ActionAskDeleteConfirmation(), make_tracker("slett meg"))
    assert render(dispatcher.messages[0], {"malform": "nn"}).startswith(
        "Du har sendt eitt innspel. Vil du slette det og heile samtalen med meg?"
    )


async def test_deletion_asked_inside_the_form_ends_the_form(input_store) -> None:
    """Asking to delete mid-form stops the form and drops the draft."""
    tracker = make_tracker(
        "slett alt om meg", slots={"input_text": "utkast"}, active_loop="input_form"
    )
    _, events = await run(ActionAskDeleteConfirmation(), tracker)
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]


async def test_confirmed_deletion_removes_rows_and_asks_gateway_to_erase(input_store) -> None:
    """All my inputs and messages go, others' stay; the gateway is told to erase the tracker."""
    key = sender_key(store.get_settings().secret_key, SENDER)
    async with input_store.begin() as session:
        session.add_all([an_input(SENDER, "a"), an_input(SENDER, "b"), an_input(OTHER, "c")])
        session.add(OutboundMessage(sender_key=key, channel="web", kind="answer", text="Svar"))
    confirmed = make_tracker("ja", intent="affirm", slots=PROMPTED)
    dispatcher, events = await run(ActionDeleteMyData(), confirmed)
    done, erase = dispatcher.messages
    assert render(done, {"malform": "nn"}).startswith(
        "Ferdig! Eg har sletta 2 innspel, 1 svar og meldingar til deg og heile samtalen vår."
    )
    assert erase["custom"] == {ERASE_MARKER: True}
    assert events[0]["event"] == "reset_slots"
    async with input_store() as session:
        left = list(await session.scalars(select(Input.idempotency_key)))
        messages = await session.scalar(select(func.count()).select_from(OutboundMessage))
    assert left == ["c"]
    assert messages == 0


async def test_deleting_only_a_chat_does_not_count_zero_inputs(input_store) -> None:
    """Nothing stored but the chat: "slettet hele samtalen", no "0 innspill, 0 svar"."""
    confirmed = make_tracker("ja", intent="affirm", slots=PROMPTED)
    dispatcher, _ = await run(ActionDeleteMyData(), confirmed)
    done, erase = dispatcher.messages
    assert render(done, {"malform": "nb"}) == (
        "Ferdig! Jeg har slettet hele samtalen vår. Skriv gjerne igjen, så starter vi på nytt."
    )
    assert erase["custom"] == {ERASE_MARKER: True}


async def test_deletion_with_store_down_says_so_and_erases_nothing(
    input_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No store, no deletion: plain message, and the conversation is not erased either."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", "postgresql://postgres@127.0.0.1:9/down")
    store.reset()
    confirmed = make_tracker("ja", intent="affirm", slots=PROMPTED)
    dispatcher, events = await run(ActionDeleteMyData(), confirmed)
    await store.get_sessionmaker().kw["bind"].dispose()
    assert [m.get("response") for m in dispatcher.messages] == ["utter_store_unavailable"]
    assert events == []


async def test_a_broken_privacy_file_gets_the_kind_reply(
    input_store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """privacy.yml lacking a part is answered like every broken knowledge file, not a crash."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "data" / "knowledge", knowledge)
    (knowledge / "privacy.yml").write_text("nn:\n  stored: berre dette\n", encoding="utf-8")
    monkeypatch.setenv("MEDVERK_KNOWLEDGE_DIR", str(knowledge))
    store.get_settings.cache_clear()
    dispatcher, events = await run(ActionAskPrivacy(), make_tracker("personvern"))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_knowledge_unavailable"]
    assert events == []


@pytest.mark.parametrize(
    ("inputs", "receipt"),
    [
        (1, "Ferdig! Jeg har slettet innspillet ditt og hele samtalen vår."),
        (3, "Ferdig! Jeg har slettet de 3 innspillene dine og hele samtalen vår."),
    ],
)
async def test_the_receipt_names_the_inputs_without_zero_messages(
    input_store, inputs: int, receipt: str
) -> None:
    """No "1 innspill, 0 svar og meldinger til deg": the receipt fits what was deleted."""
    async with input_store.begin() as session:
        session.add_all([an_input(SENDER, f"k{i}") for i in range(inputs)])
    confirmed = make_tracker("ja", intent="affirm", slots=PROMPTED)
    dispatcher, _ = await run(ActionDeleteMyData(), confirmed)
    assert render(dispatcher.messages[0], {"malform": "nb"}).startswith(receipt)
