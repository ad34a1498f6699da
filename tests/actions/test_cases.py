"""Case actions against a real store (SQLite and PostgreSQL) synced from the sample data."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import store
from actions.case_details import ActionCaseDetails
from actions.case_list import ActionUpcomingCases
from medverk.cases.sources import CaseSourceUnavailable, FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.settings import PROJECT_ROOT
from medverk.store.db import create_engine, create_sessionmaker

TODAY = "2026-11-28"


def _responses() -> dict[str, Any]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain" / "cases.yml").read_text(encoding="utf-8"))
    return domain["responses"]


RESPONSES = _responses()


def render(message: dict[str, Any], malform: str) -> str:
    """The text Rasa would send for a dispatched response (same {name} filling)."""
    variations = RESPONSES[message["response"]]
    (variation,) = [v for v in variations if v["condition"][0]["value"] == malform]
    text = variation["text"]
    names = set(re.findall(r"{([^\n{}]+?)}", text))
    missing = names - set(message)
    assert not missing, f"{message['response']} lacks {missing}"
    return re.sub(r"{([^\n{}]+?)}", lambda m: str(message[m.group(1)]), text)


def transcript(dispatcher: CollectingDispatcher, malform: str) -> str:
    return "\n".join(render(message, malform) for message in dispatcher.messages)


def tracker(
    text: str,
    *,
    malform: str = "nn",
    intent: str = "ask_case_details",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "web:test",
            "slots": {"malform": malform, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": entities or [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        }
    )


@pytest.fixture
async def synced(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[Any]:
    """The action server's store, synced from the shipped sample; today pinned."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_TODAY", TODAY)
    store.reset()
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    result = await sync_cases(sessionmaker, FileCaseSource(PROJECT_ROOT / "data" / "cases"))
    assert result.ok
    yield sessionmaker
    await engine.dispose()
    await store.get_sessionmaker().kw["bind"].dispose()
    store.reset()


async def run(action: Any, tr: Tracker) -> tuple[CollectingDispatcher, list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tr, {})
    return dispatcher, events


async def test_upcoming_cases_lists_the_soonest_with_buttons_and_more(synced: Any) -> None:
    """The first page lists the soonest cases, a button each, and a button for more."""
    dispatcher, _ = await run(
        ActionUpcomingCases(), tracker("kva saker kjem opp snart?", intent="ask_upcoming_cases")
    )
    first = dispatcher.messages[0]
    assert first["response"] == "utter_cases_upcoming"
    text = render(first, "nn")
    assert text.startswith("Desse sakene kjem opp snart (sak 1–5 av 18)")
    assert "3. desember: Budsjett 2027 og økonomiplan 2027–2030 (Formannskapet, 26/402)" in text
    assert len(first["buttons"]) == 5
    assert first["buttons"][0]["payload"] == '/ask_case_details{"case_ref": "2026/402"}'
    more = dispatcher.messages[1]
    assert more["response"] == "utter_cases_more"
    assert '"case_page": "2"' in more["more_payload"]


async def test_second_page_follows_the_first(synced: Any) -> None:
    """The 'more' payload's page entity gives the next five cases."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker(
            '/ask_upcoming_cases{"case_page": "2"}',
            intent="ask_upcoming_cases",
            entities=[
                {"entity": "case_page", "value": "2"},
                {"entity": "case_list", "value": "upcoming"},
            ],
        ),
    )
    assert render(dispatcher.messages[0], "nn").startswith(
        "Desse sakene kjem opp snart (sak 6–10 av 18)"
    )


async def test_upcoming_for_the_youth_council_in_bokmal(synced: Any) -> None:
    """Naming a committee lists only its cases, in Bokmål for a Bokmål conversation."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker("hva skal ungdomsrådet behandle?", malform="nb", intent="ask_upcoming_cases"),
    )
    text = render(dispatcher.messages[0], "nb")
    assert text.startswith("Ungdomsrådet: dette skal opp snart (sak 1–5 av 5)")
    assert "Gratis buss for ungdom under 20 år" in text
    assert "Formannskapet" not in text


async def test_upcoming_for_young_people(synced: Any) -> None:
    """'for unge' keeps the cases that matter to young people."""
    dispatcher, _ = await run(
        ActionUpcomingCases(), tracker("kva saker er for unge?", intent="ask_upcoming_cases")
    )
    message = dispatcher.messages[0]
    assert message["response"] == "utter_cases_upcoming_youth"
    assert "Budsjett 2027" not in render(message, "nn")


async def test_open_hearings_are_listed_by_deadline(synced: Any) -> None:
    """A question about hearings lists open hearings, nearest deadline first."""
    dispatcher, _ = await run(
        ActionUpcomingCases(), tracker("kva høyringar er opne no?", intent="ask_upcoming_cases")
    )
    text = render(dispatcher.messages[0], "nn")
    assert text.startswith("Opne høyringar")
    lines = [line for line in text.splitlines() if line.startswith("•")]
    assert lines[0].startswith("• 1. desember: Budsjett 2027")
    assert lines[1].startswith("• 10. desember: Ny idrettshall")


async def test_details_by_case_number(synced: Any) -> None:
    """`24/1187` gives title, committee, date, what is proposed, the deadline and the link."""
    dispatcher, events = await run(
        ActionCaseDetails(),
        tracker(
            "kva går sak 24/1187 ut på?", entities=[{"entity": "case_ref", "value": "24/1187"}]
        ),
    )
    text = transcript(dispatcher, "nn")
    assert "«Nytt kulturhus i sentrum – val av konsept» (sak 24/1187)" in text
    assert "Kommunestyret tek opp saka torsdag 11. februar 2027 (om 2 månader)" in text
    assert "Forslaget: Kommunedirektøren rår til forslag B" in text
    assert "Høyringsfrist: tysdag 15. desember (om 17 dagar)" in text
    assert "Les meir: https://eksempelvik.example/politikk/sak/2024-1187" in text
    assert SlotSet("case_in_focus", "2024/1187") in events


async def test_deadline_question_by_topic_in_nynorsk(synced: Any) -> None:
    """'høyringsfristen for kulturhussaka' finds the case by a compound and answers the deadline."""
    dispatcher, _ = await run(
        ActionCaseDetails(), tracker("når er høyringsfristen for kulturhussaka?")
    )
    text = transcript(dispatcher, "nn")
    assert text.startswith("Høyringsfristen for «Nytt kulturhus i sentrum – val av konsept»")
    assert "tysdag 15. desember – om 17 dagar" in text


async def test_deadline_question_by_topic_in_bokmal(synced: Any) -> None:
    """The Bokmål form 'høringsfristen for skolen på Nordvik' finds the Nynorsk-written case."""
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker("når er høringsfristen for skolen på Nordvik?", malform="nb"),
    )
    text = transcript(dispatcher, "nb")
    assert text.startswith("Høringsfristen for «Skulestruktur – framtida for Nordvik skule»")
    assert "tirsdag 5. januar 2027 – om 5 uker" in text


async def test_decision_once_made(synced: Any) -> None:
    """A decided case answers with its vedtak and the date it was made."""
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker(
            "kva vart vedteke om skateparken?",
            entities=[{"entity": "topic", "value": "skateparken"}],
        ),
    )
    text = transcript(dispatcher, "nn")
    assert text.startswith(
        "Vedtaket i «Ny skatepark i sentrum – plassering» (sak 26/260), torsdag 24. september:"
    )
    assert "ved idrettsplassen" in text


async def test_decision_not_made_yet(synced: Any) -> None:
    """An undecided case says so and when it comes up."""
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker("er saka om gratis buss vedtatt?", malform="nb"),
    )
    text = transcript(dispatcher, "nb")
    assert "er ikke avgjort ennå. Ungdomsrådet tar den opp onsdag 9. desember (om 11 dager)" in text


async def test_unknown_case_number_offers_the_closest(synced: Any) -> None:
    """An unknown number is named and the nearest case numbers are offered as buttons."""
    dispatcher, events = await run(
        ActionCaseDetails(),
        tracker("sak 24/1188?", entities=[{"entity": "case_ref", "value": "24/1188"}]),
    )
    message = dispatcher.messages[0]
    assert render(message, "nn") == "Eg finn inga sak med nummer 24/1188. Meinte du ei av desse?"
    assert message["buttons"][0]["payload"] == '/ask_case_details{"case_ref": "2024/1187"}'
    assert events == []


async def test_no_topic_match_offers_upcoming_cases(synced: Any) -> None:
    """A topic nothing is about is said plainly, with upcoming cases to pick from."""
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker("kva med pizzabaren?", entities=[{"entity": "topic", "value": "pizzabaren"}]),
    )
    assert render(dispatcher.messages[0], "nn") == "Eg fann inga sak om «pizzabaren»."
    assert dispatcher.messages[1]["response"] == "utter_case_offer_upcoming"
    assert len(dispatcher.messages[1]["buttons"]) == 5


async def test_several_matches_let_the_user_pick(synced: Any) -> None:
    """A topic several cases share gives a list of buttons to pick from."""
    dispatcher, _ = await run(ActionCaseDetails(), tracker("budsjettet"))
    message = dispatcher.messages[0]
    assert message["response"] == "utter_case_pick"
    titles = [button["title"] for button in message["buttons"]]
    assert "Budsjett 2027 og økonomiplan 2027–2030" in titles
    assert len(titles) >= 3


async def test_follow_up_uses_the_current_case(synced: Any) -> None:
    """'kan du seie meir om den saka?' answers about the case talked about last."""
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker("kan du seie meir om den saka?", slots={"case_in_focus": "2026/421"}),
    )
    assert "«Ny idrettshall ved Eksempelvik skule – forprosjekt»" in transcript(dispatcher, "nn")


@pytest.mark.parametrize("text", ["🤔", "kor lenge har eg på meg?", "hvor lang tid har jeg?"])
async def test_nothing_to_go_on_asks_which_case(synced: Any, text: str) -> None:
    """With no number, no topic and no current case, the action asks which case."""
    dispatcher, _ = await run(ActionCaseDetails(), tracker(text))
    assert [m["response"] for m in dispatcher.messages] == ["utter_case_ask_which"]


async def test_failed_sync_says_the_data_may_be_old(synced: Any) -> None:
    """After a failed sync the answer still comes from the store, with a note since when."""

    class DeadSource:
        name = "einnsyn"

        async def fetch(self) -> Any:
            raise CaseSourceUnavailable("connection refused")

    result = await sync_cases(synced, DeadSource())
    assert not result.ok
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker("sak 24/1187", malform="nb", entities=[{"entity": "case_ref", "value": "24/1187"}]),
    )
    text = transcript(dispatcher, "nb")
    assert "«Nytt kulturhus i sentrum – val av konsept»" in text
    assert re.search(
        r"Obs: Saksopplysningene kan være gamle\. De ble sist oppdatert \w+ \d+\. \w+", text
    )


async def test_dead_database_gets_a_kind_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A database that cannot be reached gives a short 'try again' answer, not an error."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    store.reset()
    try:
        dispatcher, events = await run(
            ActionUpcomingCases(), tracker("kva skjer?", intent="ask_upcoming_cases")
        )
    finally:
        await store.get_sessionmaker().kw["bind"].dispose()
        store.reset()
    assert [m["response"] for m in dispatcher.messages] == ["utter_cases_unavailable"]
    assert events == []


async def test_empty_store_says_there_is_no_data_yet(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Before the first sync the assistant says it has no cases yet instead of inventing any."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    store.reset()
    try:
        dispatcher, _ = await run(ActionCaseDetails(), tracker("sak 24/1187"))
    finally:
        await store.get_sessionmaker().kw["bind"].dispose()
        store.reset()
    assert [m["response"] for m in dispatcher.messages] == ["utter_cases_no_data"]


def test_every_case_response_has_both_malformer() -> None:
    """Each case response has exactly one nn and one nb variation with the same variables."""
    for name, variations in RESPONSES.items():
        forms = sorted(v["condition"][0]["value"] for v in variations)
        assert forms == ["nb", "nn"], name
        names = [set(re.findall(r"{([^\n{}]+?)}", v["text"])) for v in variations]
        assert names[0] == names[1], name


async def test_topic_with_only_past_cases_offers_them(synced: Any) -> None:
    """'Anything about the skatepark coming up?' — no, but the decided case is offered."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker(
            "er det noko om skatepark som skal opp?",
            intent="ask_upcoming_cases",
            entities=[{"entity": "topic", "value": "skatepark"}],
        ),
    )
    message = dispatcher.messages[0]
    expected = "Eg finn ingen saker om «skatepark» som skal opp snart."
    assert render(message, "nn").startswith(expected)
    assert message["buttons"][0]["payload"] == '/ask_case_details{"case_ref": "2026/260"}'


async def test_upcoming_by_topic(synced: Any) -> None:
    """A topic with coming cases lists just those."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker(
            "er det nokre saker om buss snart?",
            intent="ask_upcoming_cases",
            entities=[{"entity": "topic", "value": "buss"}],
        ),
    )
    text = render(dispatcher.messages[0], "nn")
    assert text.startswith("Saker om «buss» som kjem opp snart:")
    assert "Gratis buss for ungdom under 20 år" in text


async def test_script_and_huge_input_get_a_plain_answer(synced: Any) -> None:
    """Markup is never echoed back, and a very long message is answered, not choked on."""
    dispatcher, _ = await run(
        ActionCaseDetails(),
        tracker(
            "<script>alert(1)</script>",
            entities=[{"entity": "topic", "value": "<script>alert(1)</script>"}],
        ),
    )
    assert "<" not in transcript(dispatcher, "nn")
    dispatcher, _ = await run(ActionCaseDetails(), tracker("kulturhus " + "bla " * 5000))
    assert "«Nytt kulturhus i sentrum – val av konsept»" in transcript(dispatcher, "nn")


async def test_recent_decisions_in_bokmal(synced: Any) -> None:
    """'Hva har de vedtatt?' lists decided cases, newest first; 'skal vedta snart' does not."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker(
            "hva har politikerne vedtatt i det siste?", malform="nb", intent="ask_upcoming_cases"
        ),
    )
    text = render(dispatcher.messages[0], "nb")
    assert text.startswith("Dette er vedtatt nylig (sak 1–5 av 13)")
    assert text.splitlines()[1].startswith("• 19. november: ")
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker("ka skal kommunen vedta snart", intent="ask_upcoming_cases"),
    )
    assert dispatcher.messages[0]["response"] == "utter_cases_upcoming"


async def test_a_page_past_the_end_starts_again(synced: Any) -> None:
    """An old 'more' button that points past the list shows the first page instead of nothing."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker(
            '/ask_upcoming_cases{"case_page": "40"}',
            intent="ask_upcoming_cases",
            entities=[{"entity": "case_page", "value": "40"}],
        ),
    )
    assert render(dispatcher.messages[0], "nn").startswith("Desse sakene kjem opp snart (sak 1–5")


async def test_topic_words_without_an_entity_narrow_the_list(synced: Any) -> None:
    """'Hva skjer med skolen på Nordvik?' lists that case, even when NLU tagged no topic."""
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker("hva skjer med skolen på Nordvik?", malform="nb", intent="ask_upcoming_cases"),
    )
    text = render(dispatcher.messages[0], "nb")
    assert text.startswith("Saker om «skolen Nordvik» som kommer opp snart:")
    assert "Skulestruktur – framtida for Nordvik skule" in text


async def test_a_list_is_remembered_and_den_forste_points_into_it(synced: Any) -> None:
    """After a list, 'fortel meir om den første' / 'nr 2' give those cases' details."""
    _, events = await run(
        ActionUpcomingCases(), tracker("kva saker kjem opp snart?", intent="ask_upcoming_cases")
    )
    [shown] = [e["value"] for e in events if e["name"] == "listed_cases"]
    assert shown[:2] == ["2026/402", "2026/403"]
    first, _ = await run(
        ActionCaseDetails(),
        tracker("fortel meir om den første", slots={"listed_cases": shown}),
    )
    assert "«Budsjett 2027 og økonomiplan 2027–2030»" in transcript(first, "nn")
    second, events = await run(
        ActionCaseDetails(), tracker("nr 2", malform="nb", slots={"listed_cases": shown})
    )
    assert "Gebyr og prisar for kommunale tenester 2027" in transcript(second, "nb")
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "case_in_focus",
        "value": "2026/403",
    } in events


async def test_den_forste_in_the_input_form_is_left_to_the_form(synced: Any) -> None:
    """When the form asks which case, 'den første' answers the form, not a details question."""
    tr = tracker(
        "den første",
        slots={"listed_cases": ["2026/402"], "requested_slot": "input_case"},
    )
    tr.active_loop = {"name": "input_form"}
    dispatcher, events = await run(ActionCaseDetails(), tr)
    assert dispatcher.messages == [] and events == []
