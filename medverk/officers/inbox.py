"""The officers' inbox: filtered, searched, paged lists of citizens' input.

One `InboxFilter` drives the inbox page, the CSV export and the JSON API, so
the three always agree. Dates in a filter are calendar days in the
municipality's time zone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from medverk.clock import TIMEZONE
from medverk.inputs.age import AGE_GROUPS
from medverk.names import CHANNELS, MALFORMS
from medverk.store.models import Input
from medverk.store.models.inputs import INPUT_STATUSES
from medverk.store.search import query_terms, text_matches
from medverk.store.workflow_repo import tagged_with, waiting_for_answer

__all__ = [
    "ALL_STATUSES",
    "ASSIGNED_NONE",
    "ASSIGNED_TO_ME",
    "NO_AGE_GROUP",
    "PAGE_SIZES",
    "REPLY_CHOICES",
    "FilterOptions",
    "InboxFilter",
    "InboxPage",
    "filter_options",
    "iter_inputs",
    "iter_rows",
    "search",
]

# Status filter value that includes hidden input; the default leaves it out.
ALL_STATUSES = "all"
# Age-group filter value for input given without an age group.
NO_AGE_GROUP = "none"

MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 200
PAGE_SIZES = (50, 100, 200)
# "wants": the citizen asked for an answer; "waiting": asked and not answered yet.
REPLY_CHOICES = ("wants", "waiting")
ASSIGNED_TO_ME = "me"
ASSIGNED_NONE = "none"


def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw.strip()) if raw and raw.strip() else None
    except ValueError:
        return None


def _parse_int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return max(low, min(high, value))


def _day_start_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, TIMEZONE).astimezone(timezone.utc)


@dataclass(frozen=True)
class InboxFilter:
    """What the officer asked to see; every field empty means 'all but hidden'."""

    case_ref: str = ""
    committee: str = ""
    status: str = ""
    malform: str = ""
    channel: str = ""
    age_groups: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    reply: str = ""
    # "me", "none" or an officer's id; `viewer_id` (never in the URL) resolves "me".
    assigned: str = ""
    tag: str = ""
    # Only input the abuse word list flagged (`medverk.inputs.abuse`).
    abuse: bool = False
    page: int = 1
    per_page: int = 50
    viewer_id: int | None = None

    @classmethod
    def from_query(
        cls, query: Mapping[str, str], *, per_page: int = 50, viewer_id: int | None = None
    ) -> InboxFilter:
        """Build a filter from URL query parameters, ignoring values that make no sense.

        Age groups may come as repeated parameters (checkboxes) or comma-separated.
        """

        def get(name: str) -> str:
            return (query.get(name) or "").strip()[:MAX_QUERY_LENGTH]

        getall = getattr(query, "getall", None)
        raw_ages = getall("age_group", []) if getall else [query.get("age_group") or ""]
        ages: list[str] = []
        for raw in raw_ages:
            for group in str(raw).split(","):
                group = group.strip()[:20]
                if group and group not in ages:
                    ages.append(group)
        assigned = get("assigned")
        if assigned not in (ASSIGNED_TO_ME, ASSIGNED_NONE) and not assigned.isdigit():
            assigned = ""
        reply = get("reply")

        status = get("status")
        if status not in (*INPUT_STATUSES, ALL_STATUSES):
            status = ""
        malform = get("malform")
        channel = get("channel")
        return cls(
            case_ref=get("case"),
            committee=get("committee"),
            status=status,
            malform=malform if malform in MALFORMS else "",
            channel=channel if channel in CHANNELS else "",
            age_groups=tuple(sorted(ages, key=_age_order)),
            date_from=_parse_date(query.get("from")),
            date_to=_parse_date(query.get("to")),
            q=get("q"),
            reply=reply if reply in REPLY_CHOICES else "",
            assigned=assigned,
            tag=get("tag")[:60],
            abuse=get("abuse") == "1",
            page=_parse_int(query.get("page"), 1, 1, 1_000_000),
            per_page=_parse_int(query.get("per_page"), per_page, 1, MAX_PER_PAGE),
            viewer_id=viewer_id,
        )

    def to_query(self, **changes: object) -> dict[str, str]:
        """URL query parameters for this filter (empty ones left out), with changes."""
        f = replace(self, **changes)  # type: ignore[arg-type]
        pairs = {
            "case": f.case_ref,
            "committee": f.committee,
            "status": f.status,
            "malform": f.malform,
            "channel": f.channel,
            "age_group": ",".join(f.age_groups),
            "from": f.date_from.isoformat() if f.date_from else "",
            "to": f.date_to.isoformat() if f.date_to else "",
            "q": f.q,
            "reply": f.reply,
            "assigned": f.assigned,
            "tag": f.tag,
            "abuse": "1" if f.abuse else "",
            "per_page": str(f.per_page) if f.per_page in PAGE_SIZES[1:] else "",
            "page": str(f.page) if f.page != 1 else "",
        }
        return {key: value for key, value in pairs.items() if value}

    def conditions(self, *, with_status: bool = True) -> list[ColumnElement[bool]]:
        """SQL conditions for this filter; `with_status=False` for counts per status."""
        where: list[ColumnElement[bool]] = []
        if self.case_ref:
            where.append(Input.case_ref == self.case_ref)
        if self.committee:
            where.append(Input.committee == self.committee)
        if self.malform:
            where.append(Input.malform == self.malform)
        if self.channel:
            where.append(Input.channel == self.channel)
        if self.age_groups:
            named = [group for group in self.age_groups if group != NO_AGE_GROUP]
            either = [Input.age_group.in_(named)] if named else []
            if NO_AGE_GROUP in self.age_groups:
                either.append(Input.age_group.is_(None))
            where.append(or_(*either))
        if self.reply == "wants":
            where.append(Input.wants_reply.is_(True))
        elif self.reply == "waiting":
            where.append(waiting_for_answer())
        if self.assigned == ASSIGNED_NONE:
            where.append(Input.assigned_to.is_(None))
        elif self.assigned == ASSIGNED_TO_ME:
            where.append(Input.assigned_to == (self.viewer_id or -1))
        elif self.assigned:
            where.append(Input.assigned_to == int(self.assigned))
        if self.tag:
            where.append(tagged_with(self.tag))
        if self.abuse:
            where.append(Input.abuse_flag.is_(True))
        if self.date_from:
            where.append(Input.created_at >= _day_start_utc(self.date_from))
        if self.date_to:
            where.append(Input.created_at < _day_start_utc(self.date_to + timedelta(days=1)))
        if self.q:
            # Every term, as a substring anywhere in the text, from the search index.
            where.extend(text_matches(query_terms(self.q)))
        if with_status:
            if self.status in INPUT_STATUSES:
                where.append(Input.status == self.status)
            elif self.status != ALL_STATUSES:
                where.append(Input.status != "hidden")
        return where

    def statuses(self) -> tuple[str, ...]:
        """The statuses this filter shows."""
        if self.status in INPUT_STATUSES:
            return (self.status,)
        if self.status == ALL_STATUSES:
            return INPUT_STATUSES
        return tuple(s for s in INPUT_STATUSES if s != "hidden")


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
        .where(*inbox_filter.conditions(with_status=False))
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
            _ordered(select(Input).where(*inbox_filter.conditions()))
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
    query = _ordered(select(Input).where(*inbox_filter.conditions()))
    result = await session.stream_scalars(query.execution_options(yield_per=batch_size))
    # Whole partitions per await: one hop to the database driver per batch, not per row.
    async for partition in result.partitions():
        for row in partition:
            yield row


def _age_order(group: str) -> tuple[int, str]:
    return (AGE_GROUPS.index(group), group) if group in AGE_GROUPS else (len(AGE_GROUPS), group)


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
        .where(*inbox_filter.conditions())
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
        age_groups=sorted((group for group in age_groups if group), key=_age_order),
    )
