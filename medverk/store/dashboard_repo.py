"""Queries for the officers' dashboards: input per case and per day, answers and their delay.

Hidden input is left out everywhere, as in the report. The queries are grouped
scans that read indexes where they can (bench/officer_inbox.py times them on
100,000 inputs). Functions take
a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func, select
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


async def case_rows(session: AsyncSession, committee: str = "") -> list[CaseRow]:
    """Counts per case (all input, new, answered, waiting for an answer), busiest first.

    Three narrow queries instead of one wide one: the counts per status read only
    the covering index `ix_inputs_facets`, the titles come from each case's newest
    input, and only "waiting" reads the rows (wants_reply is not indexed).
    """
    per_status = (
        await session.execute(
            select(Input.case_ref, Input.committee, Input.status, func.count())
            .where(*_visible(committee))
            .group_by(Input.status, Input.case_ref, Input.committee)
        )
    ).all()
    waiting: dict[str, int] = dict(
        (
            await session.execute(
                select(Input.case_ref, func.count())
                .where(*_visible(committee), Input.wants_reply.is_(True))
                .where(Input.status != "answered")
                .group_by(Input.case_ref)
            )
        )
        .tuples()
        .all()
    )
    newest = select(func.max(Input.id)).group_by(Input.case_ref).scalar_subquery()
    titles: dict[str, str] = dict(
        (
            await session.execute(
                select(Input.case_ref, Input.case_title).where(Input.id.in_(newest))
            )
        )
        .tuples()
        .all()
    )
    counts: dict[str, dict[str, int]] = {}
    committees: dict[str, str] = {}
    for ref, comm, status, n in per_status:
        by_status = counts.setdefault(ref, {})
        by_status[status] = by_status.get(status, 0) + int(n)
        committees[ref] = max(committees.get(ref, ""), comm or "")
    rows = [
        CaseRow(
            case_ref=ref,
            case_title=titles.get(ref) or "",
            committee=committees[ref],
            total=sum(by_status.values()),
            new=by_status.get("new", 0),
            answered=by_status.get("answered", 0),
            waiting=int(waiting.get(ref, 0)),
        )
        for ref, by_status in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.total, r.case_ref))


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
    """(UTC day, input, answered) for each day with input since `since`, oldest first.

    Grouped by status too, so (without a committee) it reads only the index
    `ix_inputs_status_created`."""
    day = func.date(Input.created_at)
    query = (
        select(day, Input.status, func.count())
        .where(*_visible(committee), Input.created_at >= since)
        .group_by(Input.status, day)
    )
    totals: dict[date, list[int]] = {}
    for d, status, n in (await session.execute(query)).all():
        slot = totals.setdefault(_day(d), [0, 0])
        slot[0] += int(n)
        slot[1] += int(n) if status == "answered" else 0
    return [(d, total, answered) for d, (total, answered) in sorted(totals.items())]


def _hours(session: AsyncSession) -> ColumnElement[Any]:
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
