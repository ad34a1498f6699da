"""Queries for the officers' dashboards: input per case and per day, answers and their delay.

Hidden input is left out everywhere, as in the report. Each query is one grouped
scan (the per-case counts read the covering index `ix_inputs_facets`), so the
dashboards stay fast on 100,000 inputs (bench/officer_inbox.py). Functions take
a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Float, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.store.models import Input

__all__ = ["CaseRow", "answer_hours", "case_rows", "committees", "inputs_per_day"]


@dataclass(frozen=True)
class CaseRow:
    case_ref: str
    case_title: str
    committee: str
    total: int
    new: int
    answered: int
    waiting: int


def _visible(committee: str) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Input.status != "hidden"]
    if committee:
        conditions.append(Input.committee == committee)
    return conditions


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


async def case_rows(session: AsyncSession, committee: str = "") -> list[CaseRow]:
    """Counts per case (all input, new, answered, waiting for an answer), busiest first."""
    waiting = Input.wants_reply.is_(True) & (Input.status != "answered")
    query = (
        select(
            Input.case_ref,
            func.max(Input.case_title),
            func.max(Input.committee),
            func.count(),
            _count_if(Input.status == "new"),
            _count_if(Input.status == "answered"),
            _count_if(waiting),
        )
        .where(*_visible(committee))
        .group_by(Input.case_ref)
        .order_by(func.count().desc(), Input.case_ref)
    )
    return [
        CaseRow(ref, title or "", comm or "", int(n), int(new or 0), int(ans or 0), int(w or 0))
        for ref, title, comm, n, new, ans, w in (await session.execute(query)).all()
    ]


async def committees(session: AsyncSession) -> list[str]:
    """The committees that have input, in alphabetical order."""
    query = select(Input.committee).where(Input.committee != "").distinct()
    return sorted(str(c) for c in (await session.scalars(query)).all())


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite: 'YYYY-MM-DD'


async def inputs_per_day(
    session: AsyncSession, since: datetime, committee: str = ""
) -> list[tuple[date, int, int]]:
    """(UTC day, input, answered) for each day with input since `since`, oldest first."""
    day = func.date(Input.created_at)
    query = (
        select(day, func.count(), _count_if(Input.status == "answered"))
        .where(*_visible(committee), Input.created_at >= since)
        .group_by(day)
        .order_by(day)
    )
    return [(_day(d), int(n), int(a or 0)) for d, n, a in (await session.execute(query)).all()]


def _hours(session: AsyncSession) -> ColumnElement[float]:
    """SQL: hours from an input to its answer, in the dialect of the session."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Input.answered_at - Input.created_at) / 3600.0
    return cast(
        (func.julianday(Input.answered_at) - func.julianday(Input.created_at)) * 24.0, Float
    )


async def answer_hours(session: AsyncSession, committee: str = "") -> list[tuple[str, str, float]]:
    """(case, committee, hours to answer, to 0.01 h) of every answered input."""
    query = select(Input.case_ref, Input.committee, _hours(session)).where(
        *_visible(committee), Input.status == "answered", Input.answered_at.is_not(None)
    )
    return [
        (str(ref), str(comm or ""), max(0.0, round(float(h), 2)))
        for ref, comm, h in (await session.execute(query)).all()
        if h is not None
    ]
