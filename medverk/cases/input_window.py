"""The one rule for whether a case takes input now (pure: no Rasa, no database).

`takes_input_now(item, today)` is used by every answer that says so or offers
to send input: case details and their buttons, the case lists, the input form's
list of cases and the form itself.

- A case with a hearing deadline takes input up to and including that day,
  whether or not a committee has already decided something (sending a plan on
  hearing is itself a decision).
- A case without a hearing deadline takes input until it is decided or its
  meeting has passed.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from medverk.store.cases_repo import start_of_day_utc
from medverk.store.models.cases import AgendaItem

__all__ = [
    "ClosedReason",
    "closed_reason",
    "hearing_open",
    "meeting_ahead",
    "takes_input_now",
    "the_one_with_a_hearing",
]

# Why a case takes no input now: its hearing deadline passed, it is decided, or its
# meeting has been (no deadline, no decision in the data yet).
ClosedReason = Literal["deadline_passed", "decided", "meeting_passed"]


def meeting_ahead(item: AgendaItem, today: date) -> bool:
    """The case's meeting is today or later."""
    return item.meeting_date is not None and item.meeting_date >= start_of_day_utc(today)


def hearing_open(item: AgendaItem, today: date) -> bool:
    """The case has a hearing deadline that has not passed."""
    return item.hearing_deadline is not None and item.hearing_deadline >= today


def takes_input_now(item: AgendaItem, today: date) -> bool:
    """Whether people can send input on the case today."""
    if item.hearing_deadline is not None:
        return hearing_open(item, today)
    return not item.decision and meeting_ahead(item, today)


def closed_reason(item: AgendaItem, today: date) -> ClosedReason:
    """Why `item` takes no input on `today` (call it only when `takes_input_now` is False)."""
    if item.hearing_deadline is not None and item.hearing_deadline < today:
        return "deadline_passed"
    return "decided" if item.decision else "meeting_passed"


def the_one_with_a_hearing(items: list[AgendaItem]) -> AgendaItem | None:
    """Of the cases a deadline question matched, the only one with a hearing at all.

    "Kan eg framleis seie meininga mi om budsjettet?" matches four budget cases;
    only one of them had a hearing deadline, so that is the deadline asked about.
    """
    with_hearing = {item.case_ref: item for item in items if item.hearing_deadline is not None}
    return next(iter(with_hearing.values())) if len(with_hearing) == 1 else None
