"""The one frame every action of the action server is built on.

Subclass `MedverkAction`, give it `name()` and `act(dispatcher, tracker)`, and
use what the frame gives:

- `malform_of(tracker)`: the conversation's målform, else the municipality's default;
- `entity(tracker, name)`, `user_text(tracker)`, `intent_of(tracker)`,
  `mentioned_case_ref(tracker)`: what the latest message carries;
  `previous_action(tracker)`: what the assistant did just before it;
- `await self.in_store(dispatcher, work)`: runs `work(session)` in one store
  session (a transaction with `begin=True`) under `STORE_TIMEOUT_SECONDS`. When the
  store fails or is too slow it logs once, sends the action's
  `store_failure_response` and returns None (so `work` must not return None);
- a broken knowledge file (`KnowledgeError`) anywhere in `act` is logged and
  answered with `utter_knowledge_unavailable` instead of a crash;
- `quiet_when_form_takes_message` / `hands_message_to_form`: inside the input
  form, an interruption NLU thought it heard stays quiet (or hands the turn to
  the form) when the form takes the message as its answer;
- `yields_to_case_questions = True`: a message NLU took for this action's intent
  that is really a follow-up about the case in focus ("når er møtet?" heard as
  goodbye), a place in the list just shown ("den andre") or "kva dato er det i
  dag?" is answered as that question instead (`actions.everyday.answer_instead`).

The class is abstract, so rasa-sdk registers only the concrete actions.
`in_store` is also a plain function for the form validation (not an `Action`).
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from actions.store import get_sessionmaker, latest_effective
from medverk.cases.caseref import parse_case_ref
from medverk.knowledge import KnowledgeError

__all__ = [
    "STORE_ERRORS",
    "STORE_TIMEOUT_SECONDS",
    "MedverkAction",
    "entity",
    "in_store",
    "intent_of",
    "malform_of",
    "mentioned_case_ref",
    "previous_action",
    "slot_set_just_before",
    "user_text",
]

log = logging.getLogger(__name__)

# A look-up that takes longer than this is treated as a dead database.
STORE_TIMEOUT_SECONDS = 5.0
# What a dead or unreachable store raises (StoreUnavailable is a ConnectionError).
STORE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError, asyncio.TimeoutError)
USER_TEXT_LIMIT = 1000

T = TypeVar("T")


def malform_of(tracker: Tracker) -> str:
    """The conversation's målform, or the municipality's default."""
    value = tracker.get_slot("malform")
    return value if value in ("nn", "nb") else latest_effective().default_malform


def entity(tracker: Tracker, name: str) -> str | None:
    """The latest message's entity `name` as stripped text (numbers too), or None."""
    value = next(tracker.get_latest_entity_values(name), None)
    if isinstance(value, (int, float)):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def user_text(tracker: Tracker) -> str:
    """The user's own words in the latest message ("" for a button payload)."""
    text = (tracker.latest_message or {}).get("text") or ""
    # A button payload ("/intent{...}") carries no words of the user's own.
    return "" if text.startswith("/") else text[:USER_TEXT_LIMIT]


def intent_of(tracker: Tracker) -> str | None:
    """The intent NLU gave the latest message."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def previous_action(tracker: Tracker) -> str | None:
    """The assistant's last action before the latest message (not `action_listen`)."""
    events = list(tracker.events)
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    before = events[: users[-1]] if users else events
    for event in reversed(before):
        if event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None


def slot_set_just_before(tracker: Tracker, slot: str, by: frozenset[str]) -> Any:
    """The value of `slot` when one of the actions `by` (which set it) ran just before this
    message, else None: what "den med bussen" or "kva skal dei snakke om?" points back at."""
    return tracker.get_slot(slot) if previous_action(tracker) in by else None


def mentioned_case_ref(tracker: Tracker) -> str | None:
    """A case number the latest message names: the `case_ref` entity, else one in its text."""
    text = (tracker.latest_message or {}).get("text") or ""
    return entity(tracker, "case_ref") or parse_case_ref(text)


async def in_store(
    dispatcher: CollectingDispatcher,
    work: Callable[[AsyncSession], Awaitable[T]],
    *,
    what: str,
    failure_response: str | None = "utter_store_unavailable",
    begin: bool = False,
    timeout: float = STORE_TIMEOUT_SECONDS,
) -> T | None:
    """`work(session)` in one session (committed when `begin`); None after a store failure.

    On failure the warning names `what`, and `failure_response` (if any) is sent.
    """
    sessionmaker = get_sessionmaker()
    try:
        async with sessionmaker.begin() if begin else sessionmaker() as session:
            return await asyncio.wait_for(work(session), timeout)
    except STORE_ERRORS as exc:
        log.warning("%s: store unavailable: %r", what, exc)
        if failure_response:
            dispatcher.utter_message(response=failure_response)
        return None


class MedverkAction(Action, ABC):
    """An action with the shared frame: målform, store session, kind failure replies."""

    # The reply when the store is down; None asks on without saying so.
    store_failure_response: str | None = "utter_store_unavailable"
    # Answer a misheard case follow-up or date question instead of this action's own reply.
    yields_to_case_questions: bool = False
    # Inside the input form, when the form takes the message as its answer ("den andre",
    # a mistyped e-mail, an opinion that mentions "personvern"): stay quiet, or hand the
    # turn to the form when the rule that called this action would not run it next.
    quiet_when_form_takes_message: bool = False
    hands_message_to_form: bool = False

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Answer the latest message; return the events to apply."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            if self.quiet_when_form_takes_message or self.hands_message_to_form:
                from actions.form_turn import form_takes_message  # the form builds on this

                if form_takes_message(tracker):
                    return [FollowupAction("input_form")] if self.hands_message_to_form else []
            if self.yields_to_case_questions:
                from actions.everyday import answer_instead  # the case actions build on this

                instead = await answer_instead(dispatcher, tracker)
                if instead is not None:
                    return instead
            return await self.act(dispatcher, tracker)
        except KnowledgeError:
            log.exception("knowledge file problem in %s", self.name())
            dispatcher.utter_message(response="utter_knowledge_unavailable")
            return []

    async def in_store(
        self,
        dispatcher: CollectingDispatcher,
        work: Callable[[AsyncSession], Awaitable[T]],
        *,
        begin: bool = False,
    ) -> T | None:
        """`work(session)` in one store session; None (after the failure reply) if it fails."""
        return await in_store(
            dispatcher,
            work,
            what=self.name(),
            failure_response=self.store_failure_response,
            begin=begin,
        )
