"""Knowledge actions, the målform switch and the fallback that offers a human."""

from __future__ import annotations

from typing import Any

import pytest
from input_helpers import make_tracker, run, slot_events

from actions import store
from actions.knowledge import (
    ActionAskConference,
    ActionAskContactPerson,
    ActionAskHowToGiveInput,
    ActionAskParticipationBodies,
    ActionAskYouthCouncil,
    ActionHandleFallback,
    ActionSwitchMalform,
    consecutive_misses,
)

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


@pytest.fixture(autouse=True)
async def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_TODAY", "2026-11-28")
    for name in ("MEDVERK_CONTACT_NAME", "MEDVERK_CONTACT_EMAIL", "MEDVERK_CONTACT_PHONE"):
        monkeypatch.delenv(name, raising=False)
    store.reset()
    yield
    await store.close()  # the contact answer reads the settings table: close its engine


def _user(intent: str) -> dict[str, Any]:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def test_youth_council_in_nynorsk() -> None:
    """The youth council answer comes from the knowledge file, in Nynorsk, and puts the
    council in focus (what "korleis kjem eg med?" right after is about)."""
    dispatcher, events = await run(
        ActionAskYouthCouncil(), make_tracker("ka e ungdomsråde", intent="ask_youth_council")
    )
    [message] = dispatcher.messages
    assert "Kommunelova § 5-12" in message["text"]
    assert {e["name"]: e["value"] for e in events} == {
        "participation_in_focus": "youth_council",
        "committee_in_focus": "Ungdomsrådet",
    }


async def test_participation_body_from_topic_entity() -> None:
    """A button payload with a topic entity picks that body even without words for it."""
    tracker = make_tracker(
        "/ask_participation_bodies",
        malform="nb",
        intent="ask_participation_bodies",
        entities=[{"entity": "topic", "value": "høring"}],
    )
    dispatcher, _ = await run(ActionAskParticipationBodies(), tracker)
    assert dispatcher.messages[0]["text"].startswith("En høring betyr")


async def test_how_to_give_input_offers_to_start() -> None:
    """How to give input ends with a button that starts it."""
    dispatcher, _ = await run(
        ActionAskHowToGiveInput(),
        make_tracker("koss kan æ si ifra", intent="ask_how_to_give_input"),
    )
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/give_input"


async def test_conference_is_in_the_past_on_pinned_today() -> None:
    """With today pinned to 2026-11-28 the conference answer says it is over."""
    dispatcher, _ = await run(
        ActionAskConference(),
        make_tracker("kan jeg melde meg på konferansen?", malform="nb", intent="ask_conference"),
    )
    text = dispatcher.messages[0]["text"]
    assert "konferansen er over" in text and "ikke an å melde seg på" in text


async def test_contact_person_uses_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """MEDVERK_CONTACT_EMAIL replaces the sample e-mail address."""
    monkeypatch.setenv("MEDVERK_CONTACT_EMAIL", "ung@kommune.example")
    store.reset()
    dispatcher, _ = await run(
        ActionAskContactPerson(), make_tracker("kven kan eg ringje?", intent="ask_contact_person")
    )
    assert "E-post: ung@kommune.example" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("entities", "before", "expected"),
    [
        # The entity already set the slot; the choice is remembered.
        ([{"entity": "malform", "value": "nb"}], "nb", {"malform_chosen": "nb"}),
        # "byt målform" flips, and the new one is the choice.
        ([], "nn", {"malform": "nb", "malform_chosen": "nb"}),
        ([], "nb", {"malform": "nn", "malform_chosen": "nn"}),
    ],
)
async def test_switch_malform(
    entities: list[dict[str, Any]], before: str, expected: dict[str, str]
) -> None:
    """A named målform is left to the slot mapping; no name switches to the other one."""
    tracker = make_tracker(
        "byt målform", malform=before, intent="switch_malform", entities=entities
    )
    _, events = await run(ActionSwitchMalform(), tracker)
    assert slot_events(events) == expected


def test_consecutive_misses_counts_only_the_latest_run() -> None:
    """Misses before an understood message do not count."""
    events = [_user("nlu_fallback"), _user("greet"), _user("out_of_scope"), _user("nlu_fallback")]
    assert consecutive_misses(events) == 2
    assert consecutive_misses([_user("greet")]) == 0


async def test_first_miss_offers_buttons_second_offers_a_human() -> None:
    """One miss: what I can do; two in a row: a human contact too."""
    first = make_tracker("asdf", intent="nlu_fallback", events=[_user("nlu_fallback")])
    dispatcher, _ = await run(ActionHandleFallback(), first)
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_first"]

    second = make_tracker(
        "qwerty", intent="nlu_fallback", events=[_user("nlu_fallback"), _user("nlu_fallback")]
    )
    dispatcher, _ = await run(ActionHandleFallback(), second)
    assert dispatcher.messages[0]["response"] == "utter_fallback_offer_human"
    assert "ungdomskontakt@eksempelvik.example" in dispatcher.messages[1]["text"]
    assert dispatcher.messages[2]["response"] == "utter_fallback_buttons"


async def test_off_topic_first_gets_its_own_answer() -> None:
    """A single off-topic question is told what the assistant can do instead."""
    tracker = make_tracker(
        "kven vann kampen?", intent="out_of_scope", events=[_user("out_of_scope")]
    )
    dispatcher, _ = await run(ActionHandleFallback(), tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
