"""Dashboards for officers: input per case and per week, share answered, time to answer.

One committee's dashboard, or the overall one (all committees, with a row per
committee). Hidden input is left out. Weeks are ISO weeks of UTC days, the
last `weeks` of them up to today, with empty weeks shown as 0. The median time
to answer is over the answered inputs, from arrival to answer.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store import dashboard_repo

__all__ = ["Dashboard", "Group", "Week", "build_dashboard", "median_hours", "weekly"]

DEFAULT_WEEKS = 12
MAX_WEEKS = 104


@dataclass(frozen=True)
class Group:
    """Counts for a case, a committee or everything."""

    key: str
    title: str
    committee: str
    total: int
    new: int
    answered: int
    waiting: int
    median_hours: float | None

    @property
    def share_answered(self) -> int:
        """Answered, in whole per cent of all (visible) input; 0 when there is none."""
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class Week:
    monday: date
    total: int
    answered: int


@dataclass(frozen=True)
class Dashboard:
    committee: str
    overall: Group
    committees: list[Group]
    cases: list[Group]
    weeks: list[Week]


def median_hours(hours: Iterable[float]) -> float | None:
    values = list(hours)
    return statistics.median(values) if values else None


def weekly(days: Iterable[tuple[date, int, int]], today: date, weeks: int) -> list[Week]:
    """Sum days into the last `weeks` ISO weeks up to `today` (oldest first, gaps as 0)."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(days=7 * n) for n in range(weeks - 1, -1, -1)]
    totals = {monday: [0, 0] for monday in mondays}
    for day, total, answered in days:
        slot = totals.get(day - timedelta(days=day.weekday()))
        if slot is not None:
            slot[0] += total
            slot[1] += answered
    return [Week(monday, *totals[monday]) for monday in mondays]


def _sum(key: str, title: str, committee: str, rows: list[Group]) -> Group:
    return Group(
        key=key,
        title=title,
        committee=committee,
        total=sum(r.total for r in rows),
        new=sum(r.new for r in rows),
        answered=sum(r.answered for r in rows),
        waiting=sum(r.waiting for r in rows),
        median_hours=None,
    )


async def build_dashboard(
    session: AsyncSession,
    committee: str = "",
    *,
    weeks: int = DEFAULT_WEEKS,
    now: datetime | None = None,
) -> Dashboard:
    """The dashboard of one committee ("" = all of them)."""
    weeks = max(1, min(MAX_WEEKS, weeks))
    today = (now or utcnow()).astimezone(timezone.utc).date()
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = datetime.combine(first, time.min, tzinfo=timezone.utc)
    rows = await dashboard_repo.case_rows(session, committee)
    days = await dashboard_repo.inputs_per_day(session, since, committee)
    delays = await dashboard_repo.answer_hours(session, committee)
    per_case: dict[str, list[float]] = defaultdict(list)
    per_committee: dict[str, list[float]] = defaultdict(list)
    for case_ref, comm, hours in delays:
        per_case[case_ref].append(hours)
        per_committee[comm].append(hours)
    cases = [
        Group(
            key=r.case_ref,
            title=r.case_title,
            committee=r.committee,
            total=r.total,
            new=r.new,
            answered=r.answered,
            waiting=r.waiting,
            median_hours=median_hours(per_case.get(r.case_ref, ())),
        )
        for r in rows
    ]
    by_committee: dict[str, list[Group]] = defaultdict(list)
    for group in cases:
        by_committee[group.committee].append(group)
    committee_groups = [
        replace(
            _sum(name, name, name, groups),
            median_hours=median_hours(per_committee.get(name, ())),
        )
        for name, groups in sorted(by_committee.items(), key=lambda kv: kv[0].casefold())
    ]
    overall = replace(
        _sum("", committee, committee, cases), median_hours=median_hours(h for *_, h in delays)
    )
    return Dashboard(
        committee=committee,
        overall=overall,
        committees=committee_groups if not committee else [],
        cases=cases,
        weeks=weekly(days, today, weeks),
    )
