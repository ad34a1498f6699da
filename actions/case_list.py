"""`action_upcoming_cases`: upcoming cases, open hearings or recent decisions, paged, with buttons.

A turn reads the question (`CaseListQuestion`: which list, committee, youth,
topic, page), fetches one page from the store, then says it: the list, a "more"
button when there is more, and since when the data is when it may be old.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.ext.asyncio import AsyncSession

from actions.base import entity, slot_set_just_before, user_text
from actions.case_frame import (
    COMMITTEE_SLOT,
    PAGE_SIZE,
    CaseAction,
    CaseTurn,
    in_focus_if_one,
    listed,
)
from medverk import clock
from medverk.cases.questions import LIST_KINDS, ListKind, echo, list_kind, page_number
from medverk.cases.replies import details_button, list_line, list_response, payload
from medverk.cases.search import CaseSearch, find_cases
from medverk.cases.terms import YOUTH_TERMS, query_terms, stem
from medverk.store import cases_repo
from medverk.texts.joining import points_back_at_them

__all__ = ["ActionUpcomingCases", "CaseListQuestion"]

_SHOWS_COMMITTEE = frozenset({"action_upcoming_cases", "action_ask_youth_council"})
# Words in most committee names that do not tell one committee from another.
_COMMON_COMMITTEE_WORDS = frozenset({stem("utval"), stem("kultur"), stem("miljø")})


@dataclass(frozen=True)
class CaseListQuestion:
    """Which list a message asks for, and how it narrows it."""

    kind: ListKind
    committee: str | None
    youth: bool
    topic: str | None
    page: int


def committee_just_shown(tracker: Tracker) -> str | None:
    """The committee whose list, or whose body, the assistant showed just before."""
    committee = slot_set_just_before(tracker, COMMITTEE_SLOT, _SHOWS_COMMITTEE)
    return str(committee) if committee else None


def _named(known: list[str], wanted: str | None, terms: list[str]) -> str | None:
    """The known committee `wanted` is, or the first one the words name."""
    candidates = query_terms(wanted) if wanted else terms
    for committee in known:
        if wanted and wanted.casefold() == committee.casefold():
            return committee
        # "ungdomsrådet" → "ungdomsråd"; "oppvekst" names "Utval for oppvekst og kultur".
        significant = set(query_terms(committee)) - _COMMON_COMMITTEE_WORDS
        if any(term in significant for term in candidates):
            return committee
    return None


async def _committee_in(session: AsyncSession, tracker: Tracker, terms: list[str]) -> str | None:
    """The committee named by the `committee` entity or by the message's words, else the
    one just shown when the message points back at it ("kva skal dei snakke om?")."""
    known = await cases_repo.committees(session)
    named = _named(known, entity(tracker, "committee"), terms)
    if named is None and points_back_at_them(user_text(tracker)):
        shown = committee_just_shown(tracker)
        return _named(known, shown, []) if shown else None
    return named


async def _topic_in_text(
    session: AsyncSession, text: str, terms: list[str], committee_terms: set[str]
) -> str | None:
    """The user's own words for a topic ("skolen på Nordvik"), when they name a case's title.

    Only a word that is exactly a word of some case's title counts, so small talk
    around a plain "what is coming up?" never narrows the list by accident.
    """
    wanted = [t for t in terms if t not in committee_terms and t not in YOUTH_TERMS]
    if not wanted:
        return None
    found = await find_cases(session, " ".join(wanted))
    title_words = {word for item in found.items for word in item.topics.split()}
    named = [term for term in wanted if term in title_words]
    if not named:
        return None
    words = [w for w in re.findall(r"\w+", text) if stem(w.lower()) in named]
    return echo(" ".join(dict.fromkeys(words))) or None


async def read_question(session: AsyncSession, tracker: Tracker) -> CaseListQuestion:
    """What the latest message asks for (button entities first, then its words)."""
    text = user_text(tracker)
    terms = query_terms(text)
    asked = entity(tracker, "case_list") or list_kind(text)
    kind: ListKind = asked if asked in LIST_KINDS else "upcoming"
    committee = await _committee_in(session, tracker, terms)
    committee_terms = set(query_terms(committee)) if committee else set()
    youth = asked == "youth" or (
        committee is None and any(t in YOUTH_TERMS for t in terms if t not in committee_terms)
    )
    topic = entity(tracker, "topic")
    topic = echo(topic) if topic else None
    if topic is None and asked == "upcoming" and not youth:
        topic = await _topic_in_text(session, text, terms, committee_terms)
    return CaseListQuestion(
        kind, committee, youth, topic, page_number(entity(tracker, "case_page"))
    )


async def _topic_matches(session: AsyncSession, topic: str) -> tuple[CaseSearch, list[str]]:
    """The cases a topic finds, and the ids of all their agenda items."""
    found = await find_cases(session, topic, topic=topic)
    ids = [item.id for item in found.items] if found.kind == "by_topic" else []
    # Every agenda item of the matching cases, not only the best-ranked one.
    for ref in {item.case_ref for item in found.items}:
        ids += [item.id for item in await cases_repo.find_by_ref(session, ref)]
    return found, ids


async def _fetch(
    session: AsyncSession,
    question: CaseListQuestion,
    today: date,
    offset: int,
    topic_ids: list[str] | None,
) -> cases_repo.Page:
    narrowing: dict[str, Any] = {"committee": question.committee, "youth": question.youth}
    if question.kind == "hearings":
        return await cases_repo.open_hearings(
            session, today, **narrowing, offset=offset, limit=PAGE_SIZE
        )
    if question.kind == "decided":
        return await cases_repo.recent_decisions(
            session, today, **narrowing, offset=offset, limit=PAGE_SIZE
        )
    return await cases_repo.upcoming(
        session, today, **narrowing, ids=topic_ids, offset=offset, limit=PAGE_SIZE
    )


async def _fetch_page(
    session: AsyncSession, question: CaseListQuestion, today: date, topic_ids: list[str] | None
) -> tuple[cases_repo.Page, int]:
    """The page asked for, and its number; page 1 when a "more" button points past the end."""
    result = await _fetch(session, question, today, (question.page - 1) * PAGE_SIZE, topic_ids)
    if not result.items and result.total > 0:
        # A "more" button from an older list, past the end now: start again.
        return await _fetch(session, question, today, 0, topic_ids), 1
    return result, question.page


async def _utter_list(
    turn: CaseTurn, question: CaseListQuestion, result: cases_repo.Page, today: date
) -> None:
    date_field = LIST_KINDS[question.kind].date_field
    texts = await turn.texts(result.items)
    lines = [
        list_line(item, getattr(item, date_field), turn.malform, today, texts[item.id].title)
        for item in result.items
    ]
    turn.utter(
        list_response(
            question.kind, topic=question.topic, committee=question.committee, youth=question.youth
        ),
        buttons=[details_button(item, texts[item.id].title) for item in result.items],
        case_list="\n".join(lines),
        first=result.offset + 1,
        last=result.offset + len(result.items),
        total=result.total,
        committee=question.committee or "",
        topic=question.topic or "",
    )
    turn.utter_list_translation_note(list(texts.values()))


def _utter_more(turn: CaseTurn, question: CaseListQuestion, page: int) -> None:
    entities = {
        "case_page": str(page + 1),
        "case_list": "youth" if question.youth else question.kind,
    }
    if question.committee:
        entities["committee"] = question.committee
    if question.topic:
        entities["topic"] = question.topic
    turn.utter("utter_cases_more", more_payload=payload("ask_upcoming_cases", entities))


class ActionUpcomingCases(CaseAction):
    """Upcoming cases, open hearings or recent decisions, paged, with buttons."""

    # "hvem skal bestemme dette?" after a case is about that case, not a list.
    yields_to_case_questions = True

    def name(self) -> str:
        return "action_upcoming_cases"

    async def answer(self, turn: CaseTurn) -> list[EventType]:
        today = clock.today()
        question = await read_question(turn.session, turn.tracker)
        found, topic_ids = (
            await _topic_matches(turn.session, question.topic) if question.topic else (None, None)
        )
        result, page = await _fetch_page(turn.session, question, today, topic_ids)
        if question.kind == "upcoming" and question.topic and result.total == 0 and page == 1:
            if found is not None and found.items:
                # Nothing coming up, but the topic has been on the agenda: offer those.
                texts = await turn.texts(found.items)
                buttons = [details_button(item, texts[item.id].title) for item in found.items]
                turn.utter("utter_cases_topic_only_past", topic=question.topic, buttons=buttons)
                turn.utter_stale()
                return [listed(found.items), *in_focus_if_one(found.items)]
            turn.utter("utter_cases_topic_none", topic=question.topic)
            question = dataclasses.replace(question, topic=None)
            result = await cases_repo.upcoming(
                turn.session, today, committee=question.committee, offset=0, limit=PAGE_SIZE
            )
        if result.total == 0:
            turn.utter(LIST_KINDS[question.kind].none_response, committee=question.committee or "")
            turn.utter_stale()
            return []
        await _utter_list(turn, question, result, today)
        if result.has_more:
            _utter_more(turn, question, page)
        turn.utter_stale()
        return [
            listed(result.items),
            *in_focus_if_one(result.items),
            SlotSet(COMMITTEE_SLOT, question.committee),
        ]
