"""What the case answers say, worked out without Rasa or a database (pure).

- `case_facts(item, malform, today)`: the values every case response may name.
- `detail_responses(item, text, today)`: which responses answer a question about
  one case, in order (deadline, decision or the whole picture, then the link).
- `meeting_to_tell(items, today)`: of one case's agenda items, the one to talk about.
- `list_line(...)`: one line of a case list; `details_button` / `give_input_button`:
  the two buttons a case gets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from medverk.cases.caseref import display_case_ref
from medverk.cases.followup import followup_topic
from medverk.cases.input_window import hearing_open, meeting_ahead, takes_input_now
from medverk.cases.questions import LIST_KINDS, ListKind, asks_about_deadline, asks_about_decision
from medverk.store.models.cases import AgendaItem
from medverk.texts import format_date, format_relative, format_time, shorten

if TYPE_CHECKING:
    from medverk.store.case_texts_repo import CaseText

__all__ = [
    "case_facts",
    "detail_responses",
    "details_button",
    "give_input_button",
    "list_line",
    "list_response",
    "meeting_to_tell",
    "original_payload",
    "payload",
]

BUTTON_TITLE_LIMIT = 60
SUMMARY_LIMIT = 300
LIST_TITLE_LIMIT = 70


def payload(intent: str, entities: dict[str, str]) -> str:
    """A button payload that sends `intent` with `entities` (`/intent{"name": "value"}`)."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def details_button(item: AgendaItem, title: str | None = None) -> dict[str, str]:
    """A button that asks about the case (its title, or `title`, shortened at a word)."""
    return {
        "title": shorten(title or item.title, BUTTON_TITLE_LIMIT),
        "payload": payload("ask_case_details", {"case_ref": item.case_ref}),
    }


def give_input_button(item: AgendaItem) -> dict[str, str]:
    """A button that picks the case in the input form (`24/1187 Title…`)."""
    title = item.title
    if len(title) > BUTTON_TITLE_LIMIT:
        title = title[: BUTTON_TITLE_LIMIT - 1].rstrip() + "…"
    return {
        "title": f"{display_case_ref(item.case_ref)} {title}",
        "payload": payload("give_input", {"case_ref": item.case_ref}),
    }


def original_payload(item: AgendaItem) -> str:
    """The payload of the button that shows a case's texts as the data has them."""
    return payload("ask_case_details", {"case_ref": item.case_ref, "case_version": "original"})


def list_line(
    item: AgendaItem,
    when: date | datetime | None,
    malform: str,
    today: date,
    title: str | None = None,
) -> str:
    """`• 3. desember: Budsjett 2027 … (Formannskapet)` — data and dates only, no prose.

    `title` is the title in the reader's målform when it is not the original."""
    day = format_date(when, malform, today=today, weekday=False) if when else "–"
    title = shorten(title or item.title, LIST_TITLE_LIMIT)
    return f"• {day}: {title} ({item.committee}, {display_case_ref(item.case_ref)})"


def _day(value: date | None, malform: str, today: date) -> str:
    return format_date(value, malform, today=today) if value else ""


def _relative(value: date | None, malform: str, today: date) -> str:
    return format_relative(value, today, malform) if value else ""


def case_facts(
    item: AgendaItem,
    malform: str,
    today: date,
    place: str | None = None,
    text: CaseText | None = None,
) -> dict[str, str]:
    """The values the case responses name (`{title}`, `{deadline}` …), in `malform`.

    `text` holds the case's texts in the reader's målform (a stored translation);
    without it the original texts are told."""
    title, summary = (text.title, text.summary) if text else (item.title, item.summary)
    proposal, decision = (
        (text.recommendation, text.decision) if text else (item.recommendation, item.decision)
    )
    return {
        "meeting_time": format_time(item.meeting_date) if item.meeting_date else "",
        "meeting_place": place or "",
        "title": title,
        "case_ref": display_case_ref(item.case_ref),
        "committee": item.committee,
        "meeting_when": _day(item.meeting_date, malform, today),
        "meeting_relative": _relative(item.meeting_date, malform, today),
        "summary": shorten(summary or "", SUMMARY_LIMIT),
        "proposal": shorten(proposal or "", SUMMARY_LIMIT),
        "decision": shorten(decision or "", SUMMARY_LIMIT * 2),
        "decision_when": _day(item.decision_date, malform, today),
        "deadline": _day(item.hearing_deadline, malform, today),
        "deadline_relative": _relative(item.hearing_deadline, malform, today),
        "url": item.url or "",
    }


_is_upcoming = meeting_ahead
_hearing_open = hearing_open


def meeting_to_tell(items: Sequence[AgendaItem], today: date) -> AgendaItem:
    """Of one case's agenda items, the next meeting's, else the latest."""
    upcoming = [item for item in items if _is_upcoming(item, today)]
    return upcoming[0] if upcoming else items[-1]


def _deadline_focus(item: AgendaItem, today: date) -> str:
    if _hearing_open(item, today):
        return "utter_case_deadline_open"
    return "utter_case_deadline_closed" if item.hearing_deadline else "utter_case_deadline_none"


def _decision_focus(item: AgendaItem, today: date) -> list[str]:
    if item.decision:
        return ["utter_case_decision_focus"]
    focus = "utter_case_not_decided" if _is_upcoming(item, today) else "utter_case_decision_unknown"
    return [focus, "utter_case_proposal"] if item.recommendation else [focus]


def _whole_picture(item: AgendaItem, today: date) -> list[str]:
    if item.meeting_date is None:
        responses = ["utter_case_details_undated"]
    elif _is_upcoming(item, today):
        responses = ["utter_case_details_upcoming"]
    else:
        responses = ["utter_case_details_past"]
    if item.decision:
        responses.append("utter_case_decision")
    elif item.recommendation:
        responses.append("utter_case_proposal")
    if _hearing_open(item, today):
        responses.append("utter_case_hearing_open")
    elif takes_input_now(item, today):
        responses.append("utter_case_takes_input")
    return responses


def _meeting_focus(item: AgendaItem, today: date, has_place: bool) -> list[str]:
    if item.meeting_date is None:
        return ["utter_case_details_undated"]
    when = "upcoming" if _is_upcoming(item, today) else "past"
    return [f"utter_case_meeting_{when}" + ("" if has_place else "_no_place")]


def _topic_responses(item: AgendaItem, text: str, today: date, has_place: bool) -> list[str]:
    """The responses for a follow-up that asks for one fact (empty: tell the whole picture)."""
    topic = followup_topic(text)
    if topic == "meeting":
        return _meeting_focus(item, today, has_place)
    if topic == "committee" and item.meeting_date is not None:
        return ["utter_case_committee_" + ("upcoming" if _is_upcoming(item, today) else "past")]
    if topic == "proposal" and item.recommendation:
        return ["utter_case_proposal_focus"]
    if topic == "link" and item.url:
        return ["utter_case_link"]
    return []


def detail_responses(
    item: AgendaItem, text: str, today: date, *, has_place: bool = False
) -> list[str]:
    """The responses that answer `text` about one case, in order, the link last."""
    if focused := _topic_responses(item, text, today, has_place):
        return focused
    link = ["utter_case_link"] if item.url else []
    if asks_about_deadline(text) or followup_topic(text) == "deadline":
        focus = _deadline_focus(item, today)
        if focus != "utter_case_deadline_none":
            return [focus, *link]
        # No deadline to tell: the case's details say what and when instead.
        return [focus, *_whole_picture(item, today), *link]
    if asks_about_decision(text):
        return [*_decision_focus(item, today), *link]
    return [*_whole_picture(item, today), *link]


def list_response(kind: ListKind, *, topic: str | None, committee: str | None, youth: bool) -> str:
    """The response that introduces a list of cases of `kind` (narrowed how the user asked)."""
    if kind != "upcoming":
        return LIST_KINDS[kind].response
    if topic:
        return "utter_cases_upcoming_topic"
    if committee:
        return "utter_cases_upcoming_committee"
    if youth:
        return "utter_cases_upcoming_youth"
    return LIST_KINDS["upcoming"].response
