"""Storing the confirmed input from the action server, and cancelling the form."""

from __future__ import annotations

import os
from typing import Any

import pytest
from input_helpers import SENDER, input_store, make_tracker, render, run, slot_events
from sqlalchemy import select

from actions import store
from actions.submit import ActionCancelInput, ActionSubmitInput
from medverk.identity import sender_key
from medverk.inputs.draft import DRAFT_SLOTS
from medverk.store.models import Input

__all__ = ["input_store"]  # the fixture, imported for pytest

DRAFT = {
    "input_case": "2024/1187",
    "input_case_title": "Nytt kulturhus i sentrum – val av konsept",
    "input_committee": "Kommunestyret",
    "input_text": "Kulturhuset må ha øvingsrom for band <3",
    "input_age_group": "16-17",
    "input_contact_consent": True,
    "input_contact": "kari@example.no",
    "input_confirm": "yes",
    "input_idempotency_key": "key-abc",
}


async def rows(sessionmaker) -> list[Input]:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return list(await session.scalars(select(Input)))


@pytest.mark.parametrize("malform", ["nn", "nb"])
async def test_confirmed_input_is_stored_then_acknowledged(input_store, malform: str) -> None:
    """The row exists with every field before the citizen hears it is stored."""
    tracker = make_tracker("ja", intent="affirm", malform=malform, slots=DRAFT)
    dispatcher, events = await run(ActionSubmitInput(), tracker)
    [row] = await rows(input_store)
    assert (row.case_ref, row.committee, row.malform, row.channel) == (
        "2024/1187",
        "Kommunestyret",
        malform,
        "web",
    )
    assert row.text == "Kulturhuset må ha øvingsrom for band <3"
    assert (row.age_group, row.consent_contact, row.contact) == ("16-17", True, "kari@example.no")
    assert row.status == "new"
    assert row.sender_key == sender_key(store.get_settings().secret_key, SENDER)
    [message] = dispatcher.messages
    text = render(message, {"malform": malform})
    assert f"(nummer {row.id})" in text
    assert ("har lagra innspelet" if malform == "nn" else "har lagret innspillet") in text
    assert all(slot_events(events)[slot] is None for slot in DRAFT_SLOTS)


async def test_no_contact_without_consent(input_store) -> None:
    """Contact given but consent withdrawn: no contact is stored."""
    slots = {**DRAFT, "input_contact_consent": False}
    await run(ActionSubmitInput(), make_tracker("ja", intent="affirm", slots=slots))
    [row] = await rows(input_store)
    assert row.contact is None and not row.consent_contact


async def test_retry_after_success_does_not_store_twice(input_store) -> None:
    """A repeated submit of the same draft (lost reply, double click) keeps one row."""
    tracker = make_tracker("ja", intent="affirm", slots=DRAFT)
    first, _ = await run(ActionSubmitInput(), tracker)
    second, _ = await run(ActionSubmitInput(), make_tracker("prøv igjen", slots=DRAFT))
    assert len(await rows(input_store)) == 1
    assert first.messages[0]["input_id"] == second.messages[0]["input_id"]


async def test_database_down_keeps_the_draft_and_retry_stores_once(
    input_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store down: told plainly, draft kept in slots; once back, the retry stores it once."""
    live_url = os.environ["MEDVERK_DATABASE_URL"]
    monkeypatch.setattr("actions.submit.RETRY_DELAY_SECONDS", 0.01)
    monkeypatch.setenv("MEDVERK_DATABASE_URL", "postgresql://postgres@127.0.0.1:9/down")
    store.reset()
    dispatcher, events = await run(
        ActionSubmitInput(), make_tracker("ja", intent="affirm", slots=DRAFT)
    )
    assert dispatcher.messages[0]["response"] == "utter_input_store_failed"
    assert slot_events(events) == {"input_store_failed": True}  # the draft is kept
    await store.get_sessionmaker().kw["bind"].dispose()

    monkeypatch.setenv("MEDVERK_DATABASE_URL", live_url)  # the database is back
    store.reset()
    slots = {**DRAFT, "input_store_failed": True}
    retry = make_tracker("prøv igjen", intent="retry_submit", slots=slots)
    dispatcher, _ = await run(ActionSubmitInput(), retry)
    again, _ = await run(ActionSubmitInput(), retry)
    assert dispatcher.messages[0]["response"] == "utter_input_received"
    assert again.messages[0]["input_id"] == dispatcher.messages[0]["input_id"]
    assert len(await rows(input_store)) == 1


async def test_declined_summary_discards(input_store) -> None:
    """'Nei' at the summary stores nothing and forgets the draft."""
    slots: dict[str, Any] = {**DRAFT, "input_confirm": "no"}
    dispatcher, events = await run(ActionSubmitInput(), make_tracker("nei", slots=slots))
    assert dispatcher.messages[0]["response"] == "utter_input_discarded"
    assert await rows(input_store) == []
    assert slot_events(events)["input_text"] is None


async def test_retry_with_nothing_pending_says_so(input_store) -> None:
    """'prøv igjen' with no kept draft gets a clear answer, not silence."""
    dispatcher, _ = await run(
        ActionSubmitInput(), make_tracker("prøv igjen", intent="retry_submit")
    )
    assert dispatcher.messages[0]["response"] == "utter_input_nothing_to_send"


async def test_stop_cancels_the_form_and_forgets_the_draft() -> None:
    """'avbryt' in the form: the form stops, the draft goes, nothing is stored."""
    tracker = make_tracker("avbryt", intent="stop", slots=DRAFT, active_loop="input_form")
    dispatcher, events = await run(ActionCancelInput(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_input_cancelled"
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events if e["event"] == "active_loop"
    ]
    assert slot_events(events)["input_text"] is None


async def test_stop_outside_a_form_is_answered() -> None:
    """'stopp' when nothing runs gets a friendly reply."""
    dispatcher, events = await run(ActionCancelInput(), make_tracker("stopp", intent="stop"))
    assert dispatcher.messages[0]["response"] == "utter_stop_nothing_running"
    assert events == []


async def test_an_opinion_that_starts_like_stop_is_kept_for_the_citizen_to_choose() -> None:
    """At the text question a long 'stop' message may be the opinion: kept, and asked about."""
    text = "avbryt nedlegginga av skulen!! det er feil"
    slots = {**DRAFT, "input_text": None, "requested_slot": "input_text"}
    tracker = make_tracker(text, intent="stop", slots=slots, active_loop="input_form")
    dispatcher, events = await run(ActionCancelInput(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_stop_or_use_text"
    assert slot_events(events) == {"requested_slot": None, "input_text": text}
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


@pytest.mark.parametrize(
    ("text", "requested"),
    [
        ("eg vil ikkje likevel", "input_text"),  # a short command
        ("avbryt nedlegginga av skulen!! det er feil", "input_age_group"),  # not the text question
        ("/stop", "input_text"),  # a button
    ],
)
async def test_short_or_elsewhere_stop_cancels(text: str, requested: str) -> None:
    """Commands, other questions and buttons cancel as before."""
    slots = {**DRAFT, "requested_slot": requested}
    tracker = make_tracker(text, intent="stop", slots=slots, active_loop="input_form")
    dispatcher, events = await run(ActionCancelInput(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_input_cancelled"
    assert slot_events(events)["input_text"] is None


async def test_stop_after_a_kept_text_forgets_it() -> None:
    """Choosing 'Avbryt' after the form stopped forgets the kept draft."""
    tracker = make_tracker("/stop", intent="stop", slots=DRAFT)
    dispatcher, events = await run(ActionCancelInput(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_input_cancelled"
    assert all(value is None for value in slot_events(events).values())
