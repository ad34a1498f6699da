"""Follow-up questions about the case in focus, and the one rule for taking input."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from medverk.cases.followup import asks_today, followup_topic, is_followup, without_followup_words
from medverk.cases.input_window import takes_input_now, the_one_with_a_hearing
from medverk.cases.replies import detail_responses
from medverk.store.models.cases import AgendaItem

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("når bli det bestemt da", "decision"),
        ("er det vedtatt?", "decision"),
        ("Når skal kommunestyret behandle saken?", "decision"),
        ("kven avgjer det?", "committee"),
        ("hvem bestemmer det", "committee"),
        ("kor er møtet", "meeting"),
        ("ka tid?", "meeting"),
        ("Hvor holdes møtet?", "meeting"),
        ("Kva er det ungdomsrådet føreslår i denne saka?", "proposal"),
        ("ka e fristen", "deadline"),
        ("e det for seint å sei ka eg meina?", "deadline"),
        ("har du link", "link"),
        ("ka går den ut på", "details"),
        ("kva skjedde med innspelet mitt?", None),
        ("hei", None),
    ],
)
def test_followup_topic_in_both_malformer_and_dialect(text: str, topic: str | None) -> None:
    assert followup_topic(text) == topic


def test_a_followup_is_short_and_names_no_case_number() -> None:
    assert is_followup("når er møtet?")
    assert not is_followup("når er møtet i sak 2026/411?")
    assert not is_followup("/ask_case_details")
    long = "eg lurer på kva tid møtet startar for eg må hente veslebror på trening før det"
    assert not is_followup(long)
    assert "klimaplanen" in without_followup_words("når er fristen for klimaplanen")


def test_today_questions() -> None:
    assert asks_today("ka dato e det i dag")
    assert asks_today("hvilken dag er det?")
    assert not asks_today("når er møtet?")


def _item(**values: object) -> AgendaItem:
    defaults: dict[str, object] = {
        "id": "x",
        "case_ref": "2026/1",
        "title": "T",
        "committee": "Ungdomsrådet",
        "meeting_date": datetime(2026, 12, 9, 16, tzinfo=timezone.utc),
        "municipality": "M",
        "url": "https://example.no/sak",
        "recommendation": "Forslag.",
    }
    return AgendaItem(**{**defaults, **values})


def test_takes_input_now_is_the_one_rule() -> None:
    # A deadline yesterday closes the hearing even with the meeting still ahead.
    assert not takes_input_now(_item(hearing_deadline=date(2026, 12, 1)), TODAY)
    assert takes_input_now(_item(hearing_deadline=TODAY), TODAY)
    # Sent on hearing by a decision: still open until the deadline.
    on_hearing = _item(decision="Sendt på høyring.", hearing_deadline=date(2027, 1, 8))
    assert takes_input_now(on_hearing, TODAY)
    # No deadline: open until decided or the meeting has passed.
    assert takes_input_now(_item(), TODAY)
    assert not takes_input_now(_item(decision="Vedteke."), TODAY)
    past = datetime(2026, 11, 4, 16, tzinfo=timezone.utc)
    assert not takes_input_now(_item(meeting_date=past), TODAY)


def test_followups_get_the_one_fact_they_ask_for() -> None:
    item = _item()
    assert detail_responses(item, "kor er møtet", TODAY, has_place=True) == [
        "utter_case_meeting_upcoming"
    ]
    assert detail_responses(item, "kven avgjer det?", TODAY) == ["utter_case_committee_upcoming"]
    assert detail_responses(item, "ka e forslaget", TODAY) == ["utter_case_proposal_focus"]
    assert detail_responses(item, "har du link", TODAY) == ["utter_case_link"]
    assert detail_responses(item, "er det vedteke?", TODAY)[0] == "utter_case_not_decided"
    # Details of a case that takes input without a hearing offer to give input.
    assert "utter_case_takes_input" in detail_responses(item, "fortel om saka", TODAY)


def test_what_happens_questions_are_case_questions_but_not_about_my_data() -> None:
    from medverk.cases.followup import asks_what_happens

    assert asks_what_happens("ka skjer me vindmøllene på fjellet")
    assert asks_what_happens("hva skjer med fotballbanen i Nordvik?")
    assert not asks_what_happens("hva skjer med dataene mine?")
    assert not asks_what_happens("kva skjedde med innspelet mitt")


def test_a_deadline_question_over_several_cases_means_the_one_with_a_hearing() -> None:
    """Four budget cases, one had a hearing: that is the deadline asked about."""
    hearing = _item(id="a", case_ref="2026/402", hearing_deadline=date(2026, 12, 1))
    others = [_item(id=f"b{n}", case_ref=f"2026/41{n}") for n in range(3)]
    assert the_one_with_a_hearing([*others, hearing]) is hearing
    # The same case in two meetings is still one case.
    again = _item(id="c", case_ref="2026/402", hearing_deadline=date(2026, 12, 1))
    assert the_one_with_a_hearing([hearing, again, *others]) is not None
    # Two hearings, or none: no guess.
    second = _item(id="d", case_ref="2026/420", hearing_deadline=date(2026, 12, 10))
    assert the_one_with_a_hearing([hearing, second]) is None
    assert the_one_with_a_hearing(others) is None
