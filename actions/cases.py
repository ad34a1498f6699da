"""Case actions: upcoming cases, one case's details, hearing deadlines, decisions.

They answer from the local store (synced from the case source), so they stay
fast and keep answering when the source is down; when the last sync failed or
is old they say since when the data is. Every text is a domain response
(`domain/cases.yml`) in the conversation's målform; lists and dates are
formatted by `medverk.texts`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from actions.list_reference import pick_from_list, place_in_list
from actions.store import get_sessionmaker, get_settings, latest_effective
from medverk import clock
from medverk.cases.caseref import display_case_ref
from medverk.cases.search import CaseSearch, find_cases
from medverk.cases.terms import YOUTH_TERMS, query_terms, stem
from medverk.store import cases_repo
from medverk.store.models.cases import AgendaItem
from medverk.texts import format_date, format_datetime, format_relative, shorten

__all__ = ["ActionCaseDetails", "ActionUpcomingCases"]

log = logging.getLogger(__name__)

PAGE_SIZE = 5
# A look-up that takes longer than this is treated as a dead database.
DB_TIMEOUT_SECONDS = 5.0
_BUTTON_TITLE_LIMIT = 60
_SUMMARY_LIMIT = 300

# What a question is about, told by its words (stems from `medverk.cases.terms`).
_DEADLINE_WORDS = ("frist", "høyring", "innspel", "uttal")
_DECISION_WORDS = ("vedt", "bestemt", "bestemd", "avgjor", "avgjer", "resultat", "utfall")
# Words that put a question in the future ("kva skal dei vedta snart?").
_FUTURE_WORDS = ("snart", "skal", "framover", "fremover", "kjem", "kommer", "neste", "komand")


@dataclass(frozen=True)
class Freshness:
    """Whether the stored case data may be old, and since when it is."""

    has_data: bool
    stale: bool
    since: datetime | None


# The case numbers of the list last shown, so "den første" / "nr 2" can point into it.
LISTED_SLOT = "listed_cases"


def listed(items: list[AgendaItem]) -> SlotSet:
    """Remember the case numbers of a list just shown, in its order."""
    return SlotSet(LISTED_SLOT, list(dict.fromkeys(item.case_ref for item in items)))


def _form_asks_for_case(tracker: Tracker) -> bool:
    return (
        tracker.active_loop.get("name") == "input_form"
        and tracker.get_slot("requested_slot") == "input_case"
    )


def malform_of(tracker: Tracker) -> str:
    """The conversation's målform, or the municipality's default."""
    value = tracker.get_slot("malform")
    return value if value in ("nn", "nb") else latest_effective().default_malform


def _entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    if isinstance(value, (int, float)):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    # A button payload ("/intent{...}") carries no words of the user's own.
    return "" if text.startswith("/") else text[:1000]


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _page_number(tracker: Tracker) -> int:
    raw = _entity(tracker, "case_page")
    try:
        return max(1, min(int(float(raw)), 1000)) if raw else 1
    except ValueError:
        return 1


def _echo(text: str) -> str:
    """A user's words safe and short enough to repeat back in an answer."""
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in '<>{}"`')
    return shorten(cleaned.strip(), 40)


def _payload(intent: str, entities: dict[str, str]) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def _case_button(item: AgendaItem) -> dict[str, str]:
    return {
        "title": shorten(item.title, _BUTTON_TITLE_LIMIT),
        "payload": _payload("ask_case_details", {"case_ref": item.case_ref}),
    }


def _list_line(item: AgendaItem, when: date | datetime | None, malform: str, today: date) -> str:
    """`• 3. desember: Budsjett 2027 … (Formannskapet)` — data and dates only, no prose."""
    day = format_date(when, malform, today=today, weekday=False) if when else "–"
    return (
        f"• {day}: {shorten(item.title, 70)} ({item.committee}, {display_case_ref(item.case_ref)})"
    )


def _has_word(text: str, stems: tuple[str, ...]) -> bool:
    """Whether a word of `text` contains one of `stems` (stop words count here)."""
    words = re.findall(r"\w+", text.lower())
    return any(word in stem(raw) for raw in words for word in stems)


def _list_kind(text: str) -> str:
    """Which list a question asks for: open hearings, recent decisions or what comes up."""
    if _has_word(text, _DEADLINE_WORDS):
        return "hearings"
    if _has_word(text, _DECISION_WORDS) and not _has_word(text, _FUTURE_WORDS):
        return "decided"
    return "upcoming"


async def _freshness(session: AsyncSession, now: datetime) -> Freshness:
    state = await cases_repo.sync_state(session)
    if state.item_count == 0:
        return Freshness(has_data=False, stale=True, since=None)
    success = state.last_success
    since = _as_utc(success.finished_at) if success and success.finished_at else None
    max_age = timedelta(seconds=2 * get_settings().case_sync_interval_seconds + 60)
    failed_last = state.last_run is not None and not state.last_run.ok
    stale = since is None or failed_last or now - since > max_age
    return Freshness(has_data=True, stale=stale, since=since)


def _utter_stale(dispatcher: CollectingDispatcher, fresh: Freshness, malform: str) -> None:
    if not fresh.stale:
        return
    if fresh.since is None:
        dispatcher.utter_message(response="utter_cases_stale_unknown")
        return
    today = clock.today()
    dispatcher.utter_message(
        response="utter_cases_stale", since=format_datetime(fresh.since, malform, today=today)
    )


@lru_cache(maxsize=1)
def _pipeline_loaded() -> bool:
    """Load the spaCy pipeline behind the search terms (once per process)."""
    query_terms("oppstart")
    return True


class _CaseAction(Action, ABC):
    """Shared frame: one transaction, a time limit, and a kind answer when the store fails.

    Abstract, so the action server registers only the concrete actions.
    """

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        malform = malform_of(tracker)
        # The first call loads the spaCy pipeline (seconds): never inside the time limit.
        if not _pipeline_loaded.cache_info().currsize:
            await asyncio.to_thread(_pipeline_loaded)
        try:
            async with get_sessionmaker()() as session:
                return await asyncio.wait_for(
                    self._answer_with_data(session, dispatcher, tracker, malform),
                    DB_TIMEOUT_SECONDS,
                )
        except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
            log.warning("%s: case store unavailable: %s", self.name(), exc)
            dispatcher.utter_message(response="utter_cases_unavailable")
            return []

    async def _answer_with_data(
        self,
        session: AsyncSession,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        malform: str,
    ) -> list[EventType]:
        fresh = await _freshness(session, clock.now().astimezone(timezone.utc))
        if not fresh.has_data:
            dispatcher.utter_message(response="utter_cases_no_data")
            return []
        return await self.answer(session, dispatcher, tracker, malform, fresh)

    @abstractmethod
    async def answer(
        self,
        session: AsyncSession,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        malform: str,
        fresh: Freshness,
    ) -> list[EventType]:
        """Answer from the store inside the caller's session; the store has case data."""


async def _committee_in(session: AsyncSession, tracker: Tracker, terms: list[str]) -> str | None:
    """The committee named by the `committee` entity or by the message's words."""
    known = await cases_repo.committees(session)
    wanted = _entity(tracker, "committee")
    candidates = query_terms(wanted) if wanted else terms
    for committee in known:
        committee_terms = set(query_terms(committee))
        if wanted and wanted.casefold() == committee.casefold():
            return committee
        # "ungdomsrådet" → "ungdomsråd"; "oppvekst" names "Utval for oppvekst og kultur".
        significant = committee_terms - {stem("utval"), stem("kultur"), stem("miljø")}
        if any(term in significant for term in candidates):
            return committee
    return None


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
    return _echo(" ".join(dict.fromkeys(words))) or None


class ActionUpcomingCases(_CaseAction):
    """Upcoming cases, open hearings or recent decisions, paged, with buttons."""

    def name(self) -> str:
        return "action_upcoming_cases"

    async def answer(
        self,
        session: AsyncSession,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        malform: str,
        fresh: Freshness,
    ) -> list[EventType]:
        today = clock.today()
        text = _text(tracker)
        terms = query_terms(text)
        kind = _entity(tracker, "case_list") or _list_kind(text)
        committee = await _committee_in(session, tracker, terms)
        committee_terms = set(query_terms(committee)) if committee else set()
        youth = kind == "youth" or (
            committee is None and any(t in YOUTH_TERMS for t in terms if t not in committee_terms)
        )
        topic = _entity(tracker, "topic")
        topic = _echo(topic) if topic else None
        if topic is None and kind == "upcoming" and not youth:
            topic = await _topic_in_text(session, text, terms, committee_terms)
        page = _page_number(tracker)
        offset = (page - 1) * PAGE_SIZE

        topic_ids: list[str] | None = None
        found = None
        if topic:
            found = await find_cases(session, topic, topic=topic)
            topic_ids = [item.id for item in found.items] if found.kind == "by_topic" else []
            # Every agenda item of the matching cases, not only the best-ranked one.
            refs = {item.case_ref for item in found.items}
            for ref in refs:
                topic_ids += [item.id for item in await cases_repo.find_by_ref(session, ref)]

        async def fetch(offset: int) -> cases_repo.Page:
            if kind == "hearings":
                return await cases_repo.open_hearings(
                    session, today, committee=committee, youth=youth, offset=offset,
                    limit=PAGE_SIZE,
                )  # fmt: skip
            if kind == "decided":
                return await cases_repo.recent_decisions(
                    session, today, committee=committee, youth=youth, offset=offset,
                    limit=PAGE_SIZE,
                )  # fmt: skip
            return await cases_repo.upcoming(
                session, today, committee=committee, youth=youth, ids=topic_ids, offset=offset,
                limit=PAGE_SIZE,
            )  # fmt: skip

        result = await fetch(offset)
        if not result.items and result.total > 0:
            # A "more" button from an older list, past the end now: start again.
            page = 1
            result = await fetch(0)
        if kind == "hearings":
            dates = {item.id: item.hearing_deadline for item in result.items}
        elif kind == "decided":
            dates = {item.id: item.decision_date for item in result.items}
        else:
            if topic and result.total == 0 and page == 1:
                if found is not None and found.items:
                    # Nothing coming up, but the topic has been on the agenda: offer those.
                    dispatcher.utter_message(
                        response="utter_cases_topic_only_past",
                        topic=topic,
                        buttons=[_case_button(item) for item in found.items],
                    )
                    _utter_stale(dispatcher, fresh, malform)
                    return [listed(found.items)]
                dispatcher.utter_message(response="utter_cases_topic_none", topic=topic)
                topic = None
                result = await cases_repo.upcoming(
                    session, today, committee=committee, offset=0, limit=PAGE_SIZE
                )
            dates = {item.id: item.meeting_date for item in result.items}

        if result.total == 0:
            none_response = {
                "hearings": "utter_cases_hearings_none",
                "decided": "utter_cases_decided_none",
            }.get(kind, "utter_cases_upcoming_none")
            dispatcher.utter_message(response=none_response, committee=committee or "")
            _utter_stale(dispatcher, fresh, malform)
            return []

        lines = "\n".join(_list_line(item, dates[item.id], malform, today) for item in result.items)
        shown_to = result.offset + len(result.items)
        args = {
            "case_list": lines,
            "first": result.offset + 1,
            "last": shown_to,
            "total": result.total,
            "committee": committee or "",
            "topic": topic or "",
        }
        if kind == "hearings":
            response = "utter_cases_hearings"
        elif kind == "decided":
            response = "utter_cases_decided"
        elif topic:
            response = "utter_cases_upcoming_topic"
        elif committee:
            response = "utter_cases_upcoming_committee"
        elif youth:
            response = "utter_cases_upcoming_youth"
        else:
            response = "utter_cases_upcoming"
        dispatcher.utter_message(
            response=response, buttons=[_case_button(item) for item in result.items], **args
        )
        if result.has_more:
            entities = {"case_page": str(page + 1), "case_list": "youth" if youth else kind}
            if committee:
                entities["committee"] = committee
            if topic:
                entities["topic"] = topic
            dispatcher.utter_message(
                response="utter_cases_more", more_payload=_payload("ask_upcoming_cases", entities)
            )
        _utter_stale(dispatcher, fresh, malform)
        return [listed(result.items)]


class ActionCaseDetails(_CaseAction):
    """One case: by case number, topic words or the case talked about last."""

    def name(self) -> str:
        return "action_case_details"

    async def answer(
        self,
        session: AsyncSession,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        malform: str,
        fresh: Freshness,
    ) -> list[EventType]:
        today = clock.today()
        text = _text(tracker)
        case_ref = _entity(tracker, "case_ref")
        topic = _entity(tracker, "topic")
        if place_in_list(text) is not None and _form_asks_for_case(tracker):
            return []  # "den første" answers the form's question: the form takes it
        search_text = text
        if case_ref is None and (picked := pick_from_list(text, tracker.get_slot(LISTED_SLOT))):
            case_ref, topic, search_text = picked, None, ""  # "den første": not a topic search
        search = await find_cases(session, search_text, case_ref=case_ref, topic=topic)
        if search.kind == "none" and not search.case_ref and not search.terms:
            current = tracker.get_slot("current_case")
            if current:
                search = await find_cases(session, "", case_ref=current)
        events: list[EventType] = []
        if search.kind == "none":
            self._no_match(dispatcher, search, topic)
            if not search.closest and (search.terms or search.case_ref):
                await self._offer_upcoming(session, dispatcher, today)
        elif search.single is not None or search.kind == "by_ref":
            item = self._choose_meeting(search.items, today)
            self._details(dispatcher, item, text, malform, today)
            events.append(SlotSet("current_case", item.case_ref))
        else:
            dispatcher.utter_message(
                response="utter_case_pick",
                buttons=[_case_button(item) for item in search.items],
            )
            events.append(listed(search.items))
        _utter_stale(dispatcher, fresh, malform)
        return events

    @staticmethod
    def _choose_meeting(items: list[AgendaItem], today: date) -> AgendaItem:
        """Of one case's agenda items, the next meeting's, else the latest."""
        start = cases_repo.start_of_day_utc(today)
        upcoming = [i for i in items if i.meeting_date and _as_utc(i.meeting_date) >= start]
        return upcoming[0] if upcoming else items[-1]

    @staticmethod
    def _no_match(dispatcher: CollectingDispatcher, search: CaseSearch, topic: str | None) -> None:
        if search.case_ref:
            response = (
                "utter_case_unknown_ref_closest" if search.closest else "utter_case_unknown_ref"
            )
            dispatcher.utter_message(
                response=response,
                case_ref=display_case_ref(search.case_ref),
                buttons=[_case_button(item) for item in search.closest],
            )
        elif search.terms:
            dispatcher.utter_message(
                response="utter_case_no_match", topic=_echo(topic or " ".join(search.terms))
            )
        else:
            dispatcher.utter_message(response="utter_case_ask_which")

    @staticmethod
    async def _offer_upcoming(
        session: AsyncSession, dispatcher: CollectingDispatcher, today: date
    ) -> None:
        page = await cases_repo.upcoming(session, today, limit=PAGE_SIZE)
        if page.items:
            dispatcher.utter_message(
                response="utter_case_offer_upcoming",
                buttons=[_case_button(item) for item in page.items],
            )

    def _details(
        self,
        dispatcher: CollectingDispatcher,
        item: AgendaItem,
        text: str,
        malform: str,
        today: date,
    ) -> None:
        meeting_when = (
            format_date(item.meeting_date, malform, today=today) if item.meeting_date else ""
        )
        common = {
            "title": item.title,
            "case_ref": display_case_ref(item.case_ref),
            "committee": item.committee,
            "meeting_when": meeting_when,
            "meeting_relative": (
                format_relative(item.meeting_date, today, malform) if item.meeting_date else ""
            ),
            "summary": shorten(item.summary or "", _SUMMARY_LIMIT),
            "proposal": shorten(item.recommendation or "", _SUMMARY_LIMIT),
            "decision": shorten(item.decision or "", _SUMMARY_LIMIT * 2),
            "decision_when": (
                format_date(item.decision_date, malform, today=today) if item.decision_date else ""
            ),
            "deadline": (
                format_date(item.hearing_deadline, malform, today=today)
                if item.hearing_deadline
                else ""
            ),
            "deadline_relative": (
                format_relative(item.hearing_deadline, today, malform)
                if item.hearing_deadline
                else ""
            ),
            "url": item.url or "",
        }
        start = cases_repo.start_of_day_utc(today)
        upcoming = item.meeting_date is not None and _as_utc(item.meeting_date) >= start
        decided = bool(item.decision)
        hearing_open = item.hearing_deadline is not None and item.hearing_deadline >= today

        if _has_word(text, _DEADLINE_WORDS):
            if hearing_open:
                focus = "utter_case_deadline_open"
            elif item.hearing_deadline:
                focus = "utter_case_deadline_closed"
            else:
                focus = "utter_case_deadline_none"
            dispatcher.utter_message(response=focus, **common)
            if focus != "utter_case_deadline_none":
                self._link(dispatcher, item, common)
                return
            # No deadline to tell: the case's details say what and when instead.
        elif _has_word(text, _DECISION_WORDS):
            if decided:
                focus = "utter_case_decision_focus"
            elif upcoming:
                focus = "utter_case_not_decided"
            else:
                focus = "utter_case_decision_unknown"
            dispatcher.utter_message(response=focus, **common)
            if not decided and item.recommendation:
                dispatcher.utter_message(response="utter_case_proposal", **common)
            self._link(dispatcher, item, common)
            return
        if item.meeting_date is None:
            dispatcher.utter_message(response="utter_case_details_undated", **common)
        elif upcoming:
            dispatcher.utter_message(response="utter_case_details_upcoming", **common)
        else:
            dispatcher.utter_message(response="utter_case_details_past", **common)
        if decided:
            dispatcher.utter_message(response="utter_case_decision", **common)
        elif item.recommendation:
            dispatcher.utter_message(response="utter_case_proposal", **common)
        if hearing_open:
            dispatcher.utter_message(response="utter_case_hearing_open", **common)
        self._link(dispatcher, item, common)

    @staticmethod
    def _link(dispatcher: CollectingDispatcher, item: AgendaItem, common: dict[str, str]) -> None:
        if item.url:
            dispatcher.utter_message(response="utter_case_link", **common)
