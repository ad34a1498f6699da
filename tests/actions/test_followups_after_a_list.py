"""Follow-ups that lean on what was just shown: "korleis kjem eg med?" after the youth
council, "kva skal dei snakke om?" after a committee's list, "hvem bestemmer det?" after
a list of cases to pick from."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.case_details import ActionCaseDetails
from actions.case_list import ActionUpcomingCases
from actions.knowledge import (
    ActionAskContactPerson,
    ActionAskHowToGiveInput,
    ActionAskParticipationBodies,
    ActionAskYouthCouncil,
    ActionHelp,
)
from tests.actions.test_cases import render, run, synced

__all__ = ["synced"]


def after(
    previous: str,
    text: str,
    *,
    intent: str,
    malform: str = "nn",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message `text` came right after the action `previous`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
    }
    return Tracker.from_dict(
        {
            "sender_id": "web:test",
            "slots": {"malform": malform, **(slots or {})},
            "latest_message": latest,
            "events": [
                {"event": "user", "text": "før", "parse_data": {"intent": {"name": "x"}}},
                {"event": "action", "name": previous},
                {"event": "action", "name": "action_listen"},
                {"event": "user", "text": text, "parse_data": latest},
            ],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def _slot(events: list[Any], name: str) -> Any:
    [value] = [e["value"] for e in events if e.get("event") == "slot" and e["name"] == name]
    return value


async def test_the_youth_council_answer_puts_it_and_its_committee_in_focus(synced: Any) -> None:
    dispatcher, events = await run(
        ActionAskYouthCouncil(),
        after("action_greet", "kva er ungdomsrådet?", intent="ask_youth_council"),
    )
    assert "under 19 år" in dispatcher.messages[0]["text"]
    assert _slot(events, "participation_in_focus") == "youth_council"
    assert _slot(events, "committee_in_focus") == "Ungdomsrådet"


async def test_how_do_i_join_right_after_the_youth_council_tells_how_and_whom(
    synced: Any,
) -> None:
    """NLU hears "korleis kjem eg med" as help; right after the council it asks to join."""
    tracker = after(
        "action_ask_youth_council",
        "korleis kjem eg med",
        intent="help",
        slots={"participation_in_focus": "youth_council"},
    )
    dispatcher, _ = await run(ActionHelp(), tracker)
    texts = [m.get("text") or "" for m in dispatcher.messages]
    assert texts[0].startswith("For å bli med i ungdomsrådet må du vere under 19 år")
    assert "Ungdomskontakten i Eksempelvik kommune" in " ".join(texts)
    assert not any(m.get("response") == "utter_help" for m in dispatcher.messages)


async def test_how_do_i_join_heard_as_how_to_give_input_also_tells_how(synced: Any) -> None:
    tracker = after(
        "action_ask_youth_council",
        "hvordan blir jeg med?",
        intent="ask_how_to_give_input",
        malform="nb",
        slots={"participation_in_focus": "youth_council"},
    )
    dispatcher, _ = await run(ActionAskHowToGiveInput(), tracker)
    assert dispatcher.messages[0]["text"].startswith("For å bli med i ungdomsrådet må du være")


async def test_help_without_a_body_just_told_is_the_help_menu(synced: Any) -> None:
    tracker = after(
        "action_upcoming_cases",
        "korleis kjem eg med",
        intent="help",
        slots={"participation_in_focus": "youth_council"},  # told long ago
    )
    dispatcher, _ = await run(ActionHelp(), tracker)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_help"]


async def test_the_join_button_tells_how_to_join(synced: Any) -> None:
    tracker = after(
        "action_ask_youth_council",
        '/ask_youth_council{"topic": "bli med"}',
        intent="ask_youth_council",
        entities=[{"entity": "topic", "value": "bli med"}],
    )
    dispatcher, _ = await run(ActionAskYouthCouncil(), tracker)
    assert dispatcher.messages[0]["text"].startswith("For å bli med i ungdomsrådet")


async def test_joining_the_borgarpanel_right_after_it_was_told(synced: Any) -> None:
    tracker = after(
        "action_ask_participation_bodies",
        "korleis blir eg med då?",
        intent="ask_participation_bodies",
        slots={"participation_in_focus": "borgarpanel"},
    )
    dispatcher, events = await run(ActionAskParticipationBodies(), tracker)
    assert (
        dispatcher.messages[0]["text"] == "Spør kommunen om korleis du kan bli med i borgarpanelet."
    )
    assert _slot(events, "participation_in_focus") == "borgarpanel"


@pytest.mark.parametrize(
    ("previous", "text", "malform", "in_focus", "listed"),
    [
        # "kva skal dei snakke om" after Formannskapet's list: its cases, not all.
        ("action_upcoming_cases", "kva skal dei snakke om", "nn", "Formannskapet", "Formannskapet"),
        # "hva skal de ta opp?" right after the youth council was told: its cases.
        ("action_ask_youth_council", "hva skal de ta opp?", "nb", "Ungdomsrådet", "Ungdomsrådet"),
        # A committee named in the message wins over the one just shown.
        (
            "action_upcoming_cases",
            "kva skal dei ta opp i formannskapet",
            "nn",
            "Ungdomsrådet",
            "Formannskapet",
        ),
    ],
)
async def test_they_after_a_committee_is_that_committee(
    synced: Any, previous: str, text: str, malform: str, in_focus: str, listed: str
) -> None:
    tracker = after(
        previous,
        text,
        intent="ask_upcoming_cases",
        malform=malform,
        slots={"committee_in_focus": in_focus},
    )
    dispatcher, events = await run(ActionUpcomingCases(), tracker)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_cases_upcoming_committee"
    assert first["committee"] == listed
    other = "Ungdomsrådet" if listed == "Formannskapet" else "Formannskapet"
    assert f"({other}," not in render(first, malform)
    assert _slot(events, "committee_in_focus") == listed


async def test_a_plain_upcoming_question_after_a_committee_list_is_every_case(
    synced: Any,
) -> None:
    tracker = after(
        "action_upcoming_cases",
        "kva saker kjem opp snart?",
        intent="ask_upcoming_cases",
        slots={"committee_in_focus": "Formannskapet"},
    )
    dispatcher, events = await run(ActionUpcomingCases(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_cases_upcoming"
    assert _slot(events, "committee_in_focus") is None


async def test_who_decides_after_a_pick_list_offers_the_cases_of_that_list(synced: Any) -> None:
    """ "hva skjer med bussen?" listed two bus cases; "hvem bestemmer det?" asks which of
    those two, not the general upcoming list."""
    tracker = after(
        "action_case_details",
        "hvem bestemmer det?",
        intent="ask_case_details",
        malform="nb",
        slots={"listed_cases": ["2026/411", "2026/340"]},
    )
    dispatcher, events = await run(ActionCaseDetails(), tracker)
    [message] = dispatcher.messages
    assert message["response"] == "utter_case_ask_which_listed"
    assert [b["payload"] for b in message["buttons"]] == [
        '/ask_case_details{"case_ref": "2026/411"}',
        '/ask_case_details{"case_ref": "2026/340"}',
    ]
    assert _slot(events, "listed_cases") == ["2026/411", "2026/340"]


async def test_the_one_with_the_bus_after_a_list_is_the_bus_case_of_that_list(
    synced: Any,
) -> None:
    """Two cases are about buses, but the list just shown held one: "den med bussen" is it."""
    tracker = after(
        "action_upcoming_cases",
        "den med bussen",
        intent="ask_case_details",
        slots={"listed_cases": ["2026/402", "2026/403", "2026/410", "2026/411", "2026/412"]},
    )
    _, events = await run(ActionCaseDetails(), tracker)
    assert _slot(events, "case_in_focus") == "2026/411"


async def test_the_bus_long_after_a_list_is_every_bus_case(synced: Any) -> None:
    tracker = after(
        "action_greet",
        "den med bussen",
        intent="ask_case_details",
        slots={"listed_cases": ["2026/411"]},
    )
    dispatcher, _ = await run(ActionCaseDetails(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_case_pick"


async def test_a_question_with_no_case_after_a_pick_list_asks_which_of_those(
    synced: Any,
) -> None:
    tracker = after(
        "action_case_details",
        "ka betyr det for meg",
        intent="ask_case_details",
        slots={"listed_cases": ["2026/411", "2026/340"]},
    )
    dispatcher, _ = await run(ActionCaseDetails(), tracker)
    [message] = dispatcher.messages
    assert message["response"] == "utter_case_ask_which_listed"
    assert len(message["buttons"]) == 2


async def test_when_was_it_right_after_the_conference_is_about_the_conference(
    synced: Any,
) -> None:
    tracker = after(
        "action_ask_conference", "når var den?", intent="ask_case_details", malform="nb"
    )
    dispatcher, _ = await run(ActionCaseDetails(), tracker)
    assert "5. juni 2024" in dispatcher.messages[0]["text"]


async def test_the_contact_for_a_named_case_puts_that_case_in_focus(synced: Any) -> None:
    """ "hvem kan jeg ringe om skolesaken på Nordvik?": then "når skal det bestemmes?" is
    about that case."""
    tracker = after(
        "action_greet",
        "Hvem kan jeg ringe om skolesaken på Nordvik?",
        intent="ask_contact_person",
        malform="nb",
    )
    dispatcher, events = await run(ActionAskContactPerson(), tracker)
    assert "Ungdomskontakten" in dispatcher.messages[0]["text"]
    assert _slot(events, "case_in_focus") == "2027/10"
