"""Which case an input is about: by case number, by topic words, or from a list.

Finding the case is the case search's job (`medverk.cases.search`); this module
adds the rule for input: only cases that take input now can be chosen
(`medverk.cases.input_window.takes_input_now`, the one rule every answer uses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.cases.input_window import takes_input_now
from medverk.cases.search import find_cases
from medverk.store import cases_repo
from medverk.store.models import AgendaItem

__all__ = ["CaseChoice", "choose_case", "is_open_for_input", "open_cases"]

Outcome = Literal["found", "closed", "unknown_ref", "ambiguous", "no_match"]

_CANDIDATES = 5


@dataclass(frozen=True)
class CaseChoice:
    """The chosen case, or why none was chosen and what to offer instead."""

    outcome: Outcome
    item: AgendaItem | None = None
    candidates: Sequence[AgendaItem] = field(default_factory=tuple)
    case_ref: str | None = None


def is_open_for_input(item: AgendaItem, today: date) -> bool:
    """Whether the case takes input now (the one rule: `takes_input_now`)."""
    return takes_input_now(item, today)


async def open_cases(
    session: AsyncSession, today: date, limit: int = _CANDIDATES, prefer: Sequence[str] = ()
) -> list[AgendaItem]:
    """Cases open for input, the one that closes first first (youth cases first on a tie);
    the open ones of `prefer` (the list the person just saw) before all others."""
    # A superset of what takes input; `takes_input_now` decides below.
    result = await cases_repo.maybe_taking_input(session, today, limit * 6)
    for case_ref in prefer:
        result += await cases_repo.find_by_ref(session, case_ref)
    items: list[AgendaItem] = []
    seen: set[str] = set()
    for item in result:
        if item.case_ref not in seen and is_open_for_input(item, today):
            seen.add(item.case_ref)
            items.append(item)
    # The one that closes first (hearing deadline, else the meeting) comes first.
    items.sort(key=lambda item: _closes(item))
    wanted = {case_ref: place for place, case_ref in enumerate(prefer)}
    items.sort(key=lambda item: wanted.get(item.case_ref, len(wanted)))
    return items[:limit]


def _closes(item: AgendaItem) -> date:
    if item.hearing_deadline is not None:
        return item.hearing_deadline
    meeting = item.meeting_date
    return meeting.date() if meeting is not None else date.max


async def choose_case(
    session: AsyncSession,
    text: str,
    today: date,
    *,
    case_ref: str | None = None,
    topic: str | None = None,
    whole_message: str | None = None,
) -> CaseChoice:
    """Find the open case that `text` (or the `case_ref`/`topic` entity) means; when it
    fits several, the one `whole_message` (the message's own words) names, if one."""
    choice = await _choose_case(session, text, today, case_ref=case_ref, topic=topic)
    if choice.outcome == "ambiguous" and whole_message and whole_message != text:
        whole = await _choose_case(session, whole_message, today)
        if whole.outcome == "found":
            return whole
    return choice


async def _choose_case(
    session: AsyncSession,
    text: str,
    today: date,
    *,
    case_ref: str | None = None,
    topic: str | None = None,
) -> CaseChoice:
    search = await find_cases(session, text, case_ref=case_ref, topic=topic)
    if search.kind == "none":
        outcome: Outcome = "unknown_ref" if search.case_ref else "no_match"
        return CaseChoice(
            outcome, candidates=await open_cases(session, today), case_ref=search.case_ref
        )
    open_items = [item for item in search.items if is_open_for_input(item, today)]
    # One case number may have several agenda items (one per committee): any open one will do.
    if len(open_items) == 1 or (open_items and search.kind == "by_ref"):
        return CaseChoice("found", item=open_items[0], case_ref=open_items[0].case_ref)
    if open_items:
        return CaseChoice("ambiguous", candidates=open_items[:_CANDIDATES])
    return CaseChoice(
        "closed",
        item=search.items[0],
        candidates=await open_cases(session, today),
        case_ref=search.items[0].case_ref,
    )
