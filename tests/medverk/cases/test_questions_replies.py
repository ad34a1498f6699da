"""What a case question means and what the answer says, without Rasa or a database."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from medverk.cases.questions import echo, list_kind, page_number
from medverk.cases.replies import (
    case_facts,
    detail_responses,
    details_button,
    give_input_button,
    list_line,
    list_response,
    meeting_to_tell,
)
from medverk.store.models.cases import AgendaItem

TODAY = date(2026, 11, 28)


def item(**values: object) -> AgendaItem:
    fields: dict[str, object] = {
        "id": "m1-1",
        "case_ref": "2026/411",
        "title": "Gratis buss for ungdom under 20 år",
        "committee": "Formannskapet",
        "meeting_date": datetime(2026, 12, 3, 10, tzinfo=timezone.utc),
        "url": "https://example.invalid/sak/411",
    }
    fields.update(values)
    return AgendaItem(**fields)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kva er fristen for høyringa?", "hearings"),
        ("kva vart vedteke i formannskapet?", "decided"),
        ("kva skal dei vedta snart?", "upcoming"),
        ("kva skjer i kommunen?", "upcoming"),
    ],
)
def test_list_kind_from_the_words(text: str, kind: str) -> None:
    assert list_kind(text) == kind


@pytest.mark.parametrize(("raw", "page"), [(None, 1), ("3", 3), ("2.0", 2), ("x", 1), ("0", 1)])
def test_page_number(raw: str | None, page: int) -> None:
    assert page_number(raw) == page


def test_echo_drops_markup_and_shortens() -> None:
    assert echo('<b>"bussen"</b>') == "bbussen/b"
    assert len(echo("ord " * 30)) <= 40


def test_list_response_narrows_the_upcoming_list_only() -> None:
    assert list_response("hearings", topic="buss", committee=None, youth=True) == (
        "utter_cases_hearings"
    )
    assert list_response("upcoming", topic=None, committee="Formannskapet", youth=True) == (
        "utter_cases_upcoming_committee"
    )
    assert list_response("upcoming", topic=None, committee=None, youth=False) == (
        "utter_cases_upcoming"
    )


def test_a_deadline_question_about_an_open_hearing() -> None:
    case = item(hearing_deadline=date(2026, 12, 10))
    assert detail_responses(case, "kva er fristen?", TODAY) == [
        "utter_case_deadline_open",
        "utter_case_link",
    ]


def test_no_deadline_to_tell_gives_the_whole_picture() -> None:
    """No hearing deadline: the details, and (undecided, meeting ahead) it takes input now."""
    case = item(recommendation="Kommunedirektøren rår til ja.", url=None)
    assert detail_responses(case, "når er fristen?", TODAY) == [
        "utter_case_deadline_none",
        "utter_case_details_upcoming",
        "utter_case_proposal",
        "utter_case_takes_input",
    ]


def test_a_decision_question_before_the_meeting() -> None:
    case = item(recommendation="Ja.")
    assert detail_responses(case, "kva vart vedteke?", TODAY) == [
        "utter_case_not_decided",
        "utter_case_proposal",
        "utter_case_link",
    ]


def test_the_next_meeting_is_told_else_the_latest() -> None:
    past = item(id="a", meeting_date=datetime(2026, 10, 1, tzinfo=timezone.utc))
    coming = item(id="b")
    assert meeting_to_tell([past, coming], TODAY).id == "b"
    assert meeting_to_tell([past], TODAY).id == "a"


def test_facts_and_buttons_of_a_case() -> None:
    case = item(hearing_deadline=date(2026, 12, 10))
    facts = case_facts(case, "nn", TODAY)
    assert facts["case_ref"] == "26/411" and facts["deadline"] and facts["decision"] == ""
    assert details_button(case)["payload"] == '/ask_case_details{"case_ref": "2026/411"}'
    assert give_input_button(case)["title"].startswith("26/411 Gratis buss")
    assert list_line(case, case.meeting_date, "nn", TODAY).startswith("• ")
