"""The officers' inbox queries: one filter, turned into SQL, for page, export and API.

`medverk.officers.inbox.InboxFilter` says what the officer asked to see (parsed
from the URL); `conditions` turns it into SQL here, so the inbox page, the CSV
export and the JSON API always agree. Dates in a filter are calendar days in
the municipality's time zone. Functions take an `AsyncSession` and never commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from medverk.clock import TIMEZONE
from medverk.inputs.age import AGE_GROUPS
from medverk.store.models import Input
from medverk.store.models.inputs import INPUT_STATUSES
from medverk.store.search import query_terms, text_matches
from medverk.store.workflow_repo import tagged_with, waiting_for_answer

if TYPE_CHECKING:
    from medverk.officers.inbox import InboxFilter

__all__ = [
    "ALL_STATUSES",
    "ASSIGNED_NONE",
    "ASSIGNED_TO_ME",
    "NO_AGE_GROUP",
    "FilterOptions",
    "InboxPage",
    "age_order",
    "conditions",
    "filter_options",
    "iter_inputs",
    "iter_rows",
    "search",
]

# Status filter value that includes hidden input; the default leaves it out.
ALL_STATUSES = "all"
# Age-group filter value for input given without an age group.
NO_AGE_GROUP = "none"
ASSIGNED_TO_ME = "me"
ASSIGNED_NONE = "none"


def _day_start_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, TIMEZONE).astimezone(timezone.utc)


def age_order(group: str) -> tuple[int, str]:
    """Sort key for age groups: the known ones youngest first, then the rest by name."""
    return (AGE_GROUPS.index(group), group) if group in AGE_GROUPS else (len(AGE_GROUPS), group)


def conditions(inbox_filter: InboxFilter, *, with_status: bool = True) -> list[ColumnElement[bool]]:
    """SQL conditions for the filter; `with_status=False` for counts per status."""
    where: list[ColumnElement[bool]] = []
    if inbox_filter.case_ref:
        where.append(Input.case_ref == inbox_filter.case_ref)
    if inbox_filter.committee:
        where.append(Input.committee == inbox_filter.committee)
    if inbox_filter.malform:
        where.append(Input.malform == inbox_filter.malform)
    if inbox_filter.channel:
        where.append(Input.channel == inbox_filter.channel)
    if inbox_filter.age_groups:
        named = [group for group in inbox_filter.age_groups if group != NO_AGE_GROUP]
        either = [Input.age_group.in_(named)] if named else []
        if NO_AGE_GROUP in inbox_filter.age_groups:
            either.append(Input.age_group.is_(None))
        where.append(or_(*either))
    if inbox_filter.reply == "wants":
        where.append(Input.wants_reply.is_(True))
    elif inbox_filter.reply == "waiting":
        where.append(waiting_for_answer())
    if inbox_filter.assigned == ASSIGNED_NONE:
        where.append(Input.assigned_to.is_(None))
    elif inbox_filter.assigned == ASSIGNED_TO_ME:
        where.append(Input.assigned_to == (inbox_filter.viewer_id or -1))
    elif inbox_filter.assigned:
        where.append(Input.assigned_to == int(inbox_filter.assigned))
    if inbox_filter.tag:
        where.append(tagged_with(inbox_filter.tag))
    if inbox_filter.abuse:
        where.append(Input.abuse_flag.is_(True))
    if inbox_filter.date_from:
        where.append(Input.created_at >= _day_start_utc(inbox_filter.date_from))
    if inbox_filter.date_to:
        where.append(Input.created_at < _day_start_utc(inbox_filter.date_to + timedelta(days=1)))
    if inbox_filter.q:
        # Every term, as a substring anywhere in the text, from the search index.
        where.extend(text_matches(query_terms(inbox_filter.q)))
    if with_status:
        if inbox_filter.status in INPUT_STATUSES:
            where.append(Input.status == inbox_filter.status)
        elif inbox_filter.status != ALL_STATUSES:
            where.append(Input.status != "hidden")
    return where


@dataclass(frozen=True)
class InboxPage:
    """One page of input plus the numbers the inbox shows."""

    items: Sequence[Input]
    total: int
    page: int
    per_page: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def _ordered(query: Select[tuple[Input]]) -> Select[tuple[Input]]:
    return query.order_by(Input.created_at.desc(), Input.id.desc())


async def search(session: AsyncSession, inbox_filter: InboxFilter) -> InboxPage:
    """The page of input the filter asks for, newest first, and counts per status."""
    count_rows = await session.execute(
        select(Input.status, func.count())
        .where(*conditions(inbox_filter, with_status=False))
        .group_by(Input.status)
    )
    counts = {status: 0 for status in INPUT_STATUSES}
    for status, count in count_rows.all():
        counts[status] = int(count)
    total = sum(counts.get(status, 0) for status in inbox_filter.statuses())
    per_page = inbox_filter.per_page
    pages = max(1, -(-total // per_page))
    page = min(inbox_filter.page, pages)
    if total == 0:
        # Nothing matches: skip a second pass over the table (costly for text search).
        return InboxPage(items=[], total=0, page=1, per_page=per_page, counts=counts)
    items = (
        await session.scalars(
            _ordered(select(Input).where(*conditions(inbox_filter)))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    ).all()
    return InboxPage(items=items, total=total, page=page, per_page=per_page, counts=counts)


async def iter_inputs(
    session: AsyncSession, inbox_filter: InboxFilter, *, batch_size: int = 1000
) -> AsyncIterator[Input]:
    """Every input matching the filter, newest first, streamed in batches (for exports)."""
    # One ordered query read through a server-side cursor: constant memory, and
    # no re-sorting per batch as keyset paging would need without a matching index.
    query = _ordered(select(Input).where(*conditions(inbox_filter)))
    result = await session.stream_scalars(query.execution_options(yield_per=batch_size))
    # Whole partitions per await: one hop to the database driver per batch, not per row.
    async for partition in result.partitions():
        for row in partition:
            yield row


async def iter_rows(
    session: AsyncSession,
    inbox_filter: InboxFilter,
    columns: Sequence[InstrumentedAttribute[Any]],
    *,
    batch_size: int = 2000,
) -> AsyncIterator[Row[Any]]:
    """Like `iter_inputs`, but only the given columns as plain rows (much cheaper)."""
    query = (
        select(*columns)
        .where(*conditions(inbox_filter))
        .order_by(Input.created_at.desc(), Input.id.desc())
    )
    result = await session.stream(query.execution_options(yield_per=batch_size))
    async for partition in result.partitions():
        for row in partition:
            yield row


@dataclass(frozen=True)
class FilterOptions:
    """The values the inbox's filter menus offer, read from the stored input."""

    cases: Sequence[tuple[str, str]]
    committees: Sequence[str]
    age_groups: Sequence[str]


async def filter_options(session: AsyncSession) -> FilterOptions:
    """Cases (ref, title), committees and age groups that occur in the input."""
    # The newest input per case names it; max(id) per case_ref reads only the index.
    newest = select(func.max(Input.id)).group_by(Input.case_ref).scalar_subquery()
    cases = (
        await session.execute(
            select(Input.case_ref, Input.case_title)
            .where(Input.id.in_(newest))
            .order_by(Input.case_ref)
        )
    ).all()
    committees = (
        await session.scalars(
            select(Input.committee)
            .where(Input.committee != "")
            .distinct()
            .order_by(Input.committee)
        )
    ).all()
    age_groups = (
        await session.scalars(
            select(Input.age_group)
            .where(Input.age_group.is_not(None))
            .distinct()
            .order_by(Input.age_group)
        )
    ).all()
    return FilterOptions(
        cases=[(ref, title or "") for ref, title in cases],
        committees=list(committees),
        age_groups=sorted((group for group in age_groups if group), key=age_order),
    )
