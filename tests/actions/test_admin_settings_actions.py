"""The action server uses what an admin saved in the officer app's settings page."""

from __future__ import annotations

from typing import Any

import pytest
from input_helpers import input_store, make_tracker, run
from rasa_sdk import Tracker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions import store
from actions.knowledge import ActionAskContactPerson, ActionHandleFallback
from actions.privacy import ActionAskPrivacy
from actions.session import ActionSessionStart
from medverk.store.settings_repo import set_setting

__all__ = ["input_store"]  # the fixture, imported for pytest


@pytest.fixture(autouse=True)
def _no_contact_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MEDVERK_CONTACT_NAME", "MEDVERK_CONTACT_EMAIL", "MEDVERK_CONTACT_PHONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MEDVERK_RETENTION_MODE", raising=False)


async def _save(sessionmaker: async_sessionmaker[AsyncSession], **values: str) -> None:
    async with sessionmaker.begin() as db:
        for key, value in values.items():
            await set_setting(db, key, value, by="kari")
    # The action server re-reads at most every 30 s; a fresh cache reads at once.
    await store.close()


def _miss(intent: str = "nlu_fallback") -> dict[str, Any]:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_contact_answer_and_fallback_use_the_saved_contact(input_store) -> None:
    """The saved e-mail and phone replace contact.yml's in both places a human is offered."""
    await _save(input_store, contact_email="ung@kommune.example", contact_phone="22 33 44 55")
    dispatcher, _ = await run(
        ActionAskContactPerson(), make_tracker("kven kan eg ringje?", intent="ask_contact_person")
    )
    text = dispatcher.messages[0]["text"]
    assert "E-post: ung@kommune.example" in text and "Telefon: 22 33 44 55" in text
    assert "Ungdomskontakten i Eksempelvik kommune" in text  # the name was not changed
    tracker = make_tracker("qwerty", intent="nlu_fallback", events=[_miss(), _miss()])
    dispatcher, _ = await run(ActionHandleFallback(), tracker)
    assert "E-post: ung@kommune.example" in dispatcher.messages[1]["text"]


async def test_a_saved_empty_email_removes_it_from_the_answer(input_store) -> None:
    """Saving an empty e-mail (with a phone) means 'no e-mail', not 'the file's e-mail'."""
    await _save(input_store, contact_email="", contact_phone="22 33 44 55")
    dispatcher, _ = await run(
        ActionAskContactPerson(), make_tracker("kontakt", intent="ask_contact_person")
    )
    text = dispatcher.messages[0]["text"]
    assert "E-post" not in text and "Telefon: 22 33 44 55" in text


async def test_new_conversations_start_in_the_saved_malform(input_store) -> None:
    """A session without a målform gets the municipality's saved one."""
    await _save(input_store, default_malform="nb")
    tracker = Tracker.from_dict(
        {"sender_id": "web:abc", "slots": {}, "latest_message": {}, "events": []}
    )
    _, events = await run(ActionSessionStart(), tracker)
    assert {"event": "slot", "name": "malform", "value": "nb", "timestamp": None} in [
        {k: e.get(k) for k in ("event", "name", "value", "timestamp")} for e in events
    ]


async def test_privacy_answer_states_the_saved_retention(input_store) -> None:
    """The privacy answer tells the saved number of days and mode."""
    await _save(input_store, retention_days="30", retention_mode="delete")
    dispatcher, _ = await run(ActionAskPrivacy(), make_tracker("personvern", intent="ask_privacy"))
    text = dispatcher.messages[0]["text"]
    assert "Etter 30 dagar blir innspelet sletta." in " ".join(text.split())


async def test_the_store_failing_keeps_the_defaults(
    input_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the database unreachable the contact answer still comes, from the defaults."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    await store.close()
    dispatcher, _ = await run(
        ActionAskContactPerson(), make_tracker("kven kan eg ringje?", intent="ask_contact_person")
    )
    assert "ungdomskontakt@eksempelvik.example" in dispatcher.messages[0]["text"]
