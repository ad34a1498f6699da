"""The frame of the case actions: store has data, freshness, the list just shown.

They answer from the local store (synced from the case source), so they stay
fast and keep answering when the source is down; when the last sync failed or
is old they say since when the data is. Every text is a domain response
(`domain/cases.yml`) in the conversation's målform; what a question means is
read by `medverk.cases.questions`, what the answer says by `medverk.cases.replies`.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession

from actions.base import MedverkAction, malform_of, slot_set_just_before
from actions.store import get_settings
from medverk import clock
from medverk.cases.replies import original_payload
from medverk.cases.terms import query_terms
from medverk.settings import Malform
from medverk.store import case_texts_repo, cases_repo
from medverk.store.case_texts_repo import CaseText
from medverk.store.models.cases import AgendaItem
from medverk.texts import format_datetime

__all__ = [
    "COMMITTEE_SLOT",
    "FOCUS_SLOT",
    "LISTED_SLOT",
    "PAGE_SIZE",
    "CaseAction",
    "CaseTurn",
    "Freshness",
    "in_focus_if_one",
    "just_listed",
    "listed",
]

PAGE_SIZE = 5
# The case last shown, picked or given input on: follow-up questions are about it.
FOCUS_SLOT = "case_in_focus"
# The committee of the list just shown, or of the participation body just told about.
COMMITTEE_SLOT = "committee_in_focus"
# The case numbers of the list last shown, so "den første" / "nr 2" can point into it.
LISTED_SLOT = "listed_cases"
# The actions that show a list of cases (and set LISTED_SLOT).
_LISTS_CASES = frozenset(
    {"action_upcoming_cases", "action_case_details", "action_ask_youth_council"}
)


@dataclass(frozen=True)
class Freshness:
    """Whether the stored case data may be old, and since when it is."""

    has_data: bool
    stale: bool
    since: datetime | None


@dataclass(frozen=True)
class CaseTurn:
    """One case question being answered: where to say it, who asked, in which målform."""

    session: AsyncSession
    dispatcher: CollectingDispatcher
    tracker: Tracker
    malform: str
    fresh: Freshness

    def utter(self, response: str, **values: object) -> None:
        """Send a domain response."""
        self.dispatcher.utter_message(response=response, **values)

    async def texts(self, items: list[AgendaItem]) -> dict[str, CaseText]:
        """The items' texts in the reader's målform (stored translations, never made now)."""
        return await case_texts_repo.case_texts(self.session, items, _as_malform(self.malform))

    def utter_translation_note(self, item: AgendaItem, text: CaseText) -> None:
        """Say a text is machine-translated (with a button to the original), or that it
        is only in the other målform when no translation is stored."""
        if text.machine_translated:
            self.utter("utter_case_machine_translated", original_payload=original_payload(item))
        elif text.translation_missing:
            self.utter("utter_case_translation_missing")

    def utter_list_translation_note(self, texts: list[CaseText]) -> None:
        """Under a list: whether its titles are machine-translated or only in the original."""
        if any(text.machine_translated for text in texts):
            self.utter("utter_cases_machine_translated")
        elif any(text.translation_missing for text in texts):
            self.utter("utter_case_translation_missing")

    def utter_stale(self) -> None:
        """Say since when the data is, if it may be old."""
        if not self.fresh.stale:
            return
        if self.fresh.since is None:
            self.utter("utter_cases_stale_unknown")
            return
        since = format_datetime(self.fresh.since, self.malform, today=clock.today())
        self.utter("utter_cases_stale", since=since)


def _as_malform(value: str) -> Malform:
    return "nb" if value == "nb" else "nn"


def in_focus_if_one(items: list[AgendaItem]) -> list[SlotSet]:
    """A list of one case puts that case in focus ("når er møtet?" is then about it)."""
    refs = list(dict.fromkeys(item.case_ref for item in items))
    return [SlotSet(FOCUS_SLOT, refs[0])] if len(refs) == 1 else []


def just_listed(tracker: Tracker) -> list[str]:
    """The case numbers of the list the assistant showed just before this message."""
    shown = slot_set_just_before(tracker, LISTED_SLOT, _LISTS_CASES)
    return [str(case_ref) for case_ref in shown or []]


def listed(items: list[AgendaItem]) -> SlotSet:
    """Remember the case numbers of a list just shown, in its order."""
    return SlotSet(LISTED_SLOT, list(dict.fromkeys(item.case_ref for item in items)))


async def freshness(session: AsyncSession, now: datetime) -> Freshness:
    """Whether the store has case data, and whether it may be old."""
    state = await cases_repo.sync_state(session)
    if state.item_count == 0:
        return Freshness(has_data=False, stale=True, since=None)
    success = state.last_success
    since = success.finished_at if success and success.finished_at else None
    max_age = timedelta(seconds=2 * get_settings().case_sync_interval_seconds + 60)
    failed_last = state.last_run is not None and not state.last_run.ok
    stale = since is None or failed_last or now - since > max_age
    return Freshness(has_data=True, stale=stale, since=since)


@lru_cache(maxsize=1)
def _load_pipeline() -> bool:
    """Load the spaCy pipeline behind the search terms (once per process)."""
    query_terms("oppstart")
    return True


class CaseAction(MedverkAction):
    """A case question: one session under the time limit, answered only when there is data."""

    store_failure_response = "utter_cases_unavailable"
    # "kvifor er bussen så dyr? den burde vere gratis" at the text question is the opinion.
    quiet_when_form_takes_message = True

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        malform = malform_of(tracker)
        # The first call loads the spaCy pipeline (seconds): never inside the time limit.
        if not _load_pipeline.cache_info().currsize:
            await asyncio.to_thread(_load_pipeline)

        async def with_data(session: AsyncSession) -> list[EventType]:
            fresh = await freshness(session, clock.now().astimezone(timezone.utc))
            if not fresh.has_data:
                dispatcher.utter_message(response="utter_cases_no_data")
                return []
            return await self.answer(CaseTurn(session, dispatcher, tracker, malform, fresh))

        return await self.in_store(dispatcher, with_data) or []

    @abstractmethod
    async def answer(self, turn: CaseTurn) -> list[EventType]:
        """Answer from the store inside the turn's session; the store has case data."""
