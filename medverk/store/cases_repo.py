"""Case data in the store: replace after a sync, and the look-ups the actions need.

Every function takes an `AsyncSession` and never commits; the caller owns the
transaction. Dates of meetings are stored in UTC; "today" is the
municipality's local day, turned into a UTC instant before comparing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.cases.records import CaseBatch
from medverk.clock import TIMEZONE, utcnow
from medverk.store.models.cases import AgendaItem, CaseSyncRun, Meeting

__all__ = [
    "Candidate",
    "Page",
    "SyncState",
    "committees",
    "distinct_topics",
    "find_by_ref",
    "items_by_ids",
    "last_successful_sync_end",
    "maybe_taking_input",
    "meeting_place",
    "nearby_refs",
    "open_hearings",
    "recent_decisions",
    "record_sync_run",
    "replace_cases",
    "search_candidates",
    "sync_state",
    "upcoming",
]

# Bulk inserts go in slices: SQLite caps the number of bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class Page:
    """One page of agenda items and how many there are in all."""

    items: list[AgendaItem]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


@dataclass(frozen=True)
class SyncState:
    """How fresh the case data is: the last run and the last run that succeeded."""

    last_run: CaseSyncRun | None
    last_success: CaseSyncRun | None
    item_count: int


def start_of_day_utc(day: date) -> datetime:
    """The first instant of `day` in the municipality's zone, in UTC."""
    return datetime.combine(day, time.min, tzinfo=TIMEZONE).astimezone(timezone.utc)


async def replace_cases(session: AsyncSession, batch: CaseBatch) -> None:
    """Make the stored meetings and agenda items exactly those in `batch`.

    Inside the caller's transaction, so readers see the old data until commit
    and a failed sync leaves it untouched.
    """
    await session.execute(delete(AgendaItem))
    await session.execute(delete(Meeting))
    now = utcnow()
    seen_meetings: set[str] = set()
    meetings = []
    for meeting in batch.meetings:
        if meeting.id not in seen_meetings:
            seen_meetings.add(meeting.id)
            meetings.append({**asdict(meeting), "updated_at": now})
    seen_items: set[str] = set()
    items = []
    for item in batch.items:
        if item.id not in seen_items:
            seen_items.add(item.id)
            items.append({**asdict(item), "updated_at": now})
    for start in range(0, len(meetings), _CHUNK):
        await session.execute(insert(Meeting), meetings[start : start + _CHUNK])
    for start in range(0, len(items), _CHUNK):
        await session.execute(insert(AgendaItem), items[start : start + _CHUNK])


async def record_sync_run(
    session: AsyncSession,
    *,
    source: str,
    started_at: datetime,
    ok: bool,
    items_synced: int = 0,
    error: str | None = None,
) -> CaseSyncRun:
    """Store the outcome of one sync run."""
    run = CaseSyncRun(
        source=source,
        started_at=started_at,
        finished_at=utcnow(),
        ok=ok,
        items_synced=items_synced,
        error=error[:2000] if error else None,
    )
    session.add(run)
    await session.flush()
    return run


async def sync_state(session: AsyncSession) -> SyncState:
    """The newest sync run, the newest successful one, and how many items it stored."""
    newest = select(CaseSyncRun).order_by(CaseSyncRun.id.desc()).limit(1)
    last_run = (await session.scalars(newest)).first()
    if last_run is None or last_run.ok:
        last_success = last_run
    else:
        ok_query = newest.where(CaseSyncRun.ok.is_(True))
        last_success = (await session.scalars(ok_query)).first()
    # The last good sync replaced every row, so its count is the stored count (no table scan).
    count = last_success.items_synced if last_success is not None else 0
    return SyncState(last_run=last_run, last_success=last_success, item_count=count)


async def find_by_ref(session: AsyncSession, case_ref: str) -> list[AgendaItem]:
    """Every agenda item with this case number (`2024/1187`), in meeting order."""
    query = (
        select(AgendaItem)
        .where(AgendaItem.case_ref == case_ref)
        .order_by(AgendaItem.meeting_date.asc().nulls_last(), AgendaItem.id)
    )
    return list(await session.scalars(query))


async def items_by_ids(session: AsyncSession, ids: Sequence[str]) -> list[AgendaItem]:
    """Agenda items by id, in the order of `ids`."""
    if not ids:
        return []
    found = {
        item.id: item
        for item in await session.scalars(select(AgendaItem).where(AgendaItem.id.in_(ids)))
    }
    return [found[item_id] for item_id in ids if item_id in found]


def _committee_filter(
    query: Select[tuple[AgendaItem]], committee: str | None
) -> Select[tuple[AgendaItem]]:
    return query.where(AgendaItem.committee == committee) if committee else query


async def _page(
    session: AsyncSession, query: Select[tuple[AgendaItem]], offset: int, limit: int
) -> Page:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(await session.scalars(query.offset(offset).limit(limit)))
    return Page(items=items, total=int(total or 0), offset=offset, limit=limit)


async def upcoming(
    session: AsyncSession,
    today: date,
    *,
    committee: str | None = None,
    youth: bool = False,
    ids: Sequence[str] | None = None,
    offset: int = 0,
    limit: int = 5,
) -> Page:
    """Agenda items of meetings from today on, soonest first."""
    query = select(AgendaItem).where(AgendaItem.meeting_date >= start_of_day_utc(today))
    query = _committee_filter(query, committee)
    if youth:
        query = query.where(AgendaItem.for_youth.is_(True))
    if ids is not None:
        query = query.where(AgendaItem.id.in_(list(ids)))
    query = query.order_by(AgendaItem.meeting_date, AgendaItem.case_ref, AgendaItem.id)
    return await _page(session, query, offset, limit)


async def open_hearings(
    session: AsyncSession,
    today: date,
    *,
    committee: str | None = None,
    youth: bool = False,
    offset: int = 0,
    limit: int = 5,
) -> Page:
    """Agenda items whose hearing deadline is today or later, nearest deadline first."""
    query = select(AgendaItem).where(AgendaItem.hearing_deadline >= today)
    query = _committee_filter(query, committee)
    if youth:
        query = query.where(AgendaItem.for_youth.is_(True))
    query = query.order_by(AgendaItem.hearing_deadline, AgendaItem.case_ref, AgendaItem.id)
    return await _page(session, query, offset, limit)


async def recent_decisions(
    session: AsyncSession,
    today: date,
    *,
    committee: str | None = None,
    youth: bool = False,
    offset: int = 0,
    limit: int = 5,
) -> Page:
    """Decided agenda items up to today, newest decision first."""
    query = select(AgendaItem).where(
        AgendaItem.decision.is_not(None), AgendaItem.decision_date <= today
    )
    query = _committee_filter(query, committee)
    if youth:
        query = query.where(AgendaItem.for_youth.is_(True))
    query = query.order_by(AgendaItem.decision_date.desc(), AgendaItem.case_ref, AgendaItem.id)
    return await _page(session, query, offset, limit)


async def committees(session: AsyncSession) -> list[str]:
    """The committees that hold meetings, by name (the meetings table is the small one)."""
    query = select(Meeting.committee).distinct().order_by(Meeting.committee)
    return list(await session.scalars(query))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Candidate:
    """Just enough of an agenda item to rank it against a search."""

    id: str
    case_ref: str
    topics: str
    search_text: str
    meeting_date: datetime | None


async def search_candidates(
    session: AsyncSession, terms: Sequence[str], *, limit: int = 150
) -> list[Candidate]:
    """Agenda items whose search terms share a word, a word start or a compound part
    with `terms`, newest meetings first; the caller ranks them, then loads the winners.

    A term matches inside index words ("hall" → "idrettshall"), and a long term's
    leading parts match whole index words ("kulturhussak" → "kulturhus").
    """
    conditions = []
    for term in terms:
        if len(term) >= 4:
            conditions.append(AgendaItem.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
        else:
            conditions.append(AgendaItem.search_text.like(f"% {_escape_like(term)} %", escape="\\"))
        # Leading parts of a long word, longest 12 only: "kulturhussak" → "kulturhus",
        # "busstilbod" → "buss" (4 letters: the ranking counts those in titles only).
        for cut in range(max(4, len(term) - 12), len(term)):
            part = _escape_like(term[:cut])
            conditions.append(AgendaItem.search_text.like(f"% {part} %", escape="\\"))
        # Trailing parts (the head of a compound): "kommunebudsjett" → "budsjett".
        for cut in range(max(1, len(term) - 14), len(term) - 4):
            part = _escape_like(term[cut:])
            conditions.append(AgendaItem.search_text.like(f"% {part} %", escape="\\"))
    if not conditions:
        return []
    query = (
        select(
            AgendaItem.id,
            AgendaItem.case_ref,
            AgendaItem.topics,
            AgendaItem.search_text,
            AgendaItem.meeting_date,
        )
        .where(or_(*conditions))
        .order_by(AgendaItem.meeting_date.desc().nulls_last(), AgendaItem.id)
        .limit(limit)
    )
    return [Candidate(*row) for row in await session.execute(query)]


async def nearby_refs(session: AsyncSession, case_ref: str, *, limit: int = 3) -> list[AgendaItem]:
    """Agenda items whose case numbers are closest to an unknown `case_ref`:
    the same number in another year, then the nearest numbers of the same year."""
    year_text, _, number_text = case_ref.partition("/")
    if not (year_text.isdigit() and number_text.isdigit()):
        return []
    year, number = int(year_text), int(number_text)
    same_number = select(AgendaItem.case_ref).where(AgendaItem.case_ref.like(f"%/{number}"))
    same_year = select(AgendaItem.case_ref).where(AgendaItem.case_ref.like(f"{year}/%"))
    refs = set(await session.scalars(same_number)) | set(await session.scalars(same_year))

    def distance(ref: str) -> tuple[int, int]:
        ref_year, _, ref_number = ref.partition("/")
        if int(ref_number) == number:
            return (0, abs(int(ref_year) - year))
        return (1, abs(int(ref_number) - number))

    chosen = sorted(refs, key=distance)[:limit]
    items: list[AgendaItem] = []
    for ref in chosen:
        items.extend((await find_by_ref(session, ref))[:1])
    return items


async def maybe_taking_input(session: AsyncSession, today: date, limit: int) -> list[AgendaItem]:
    """Agenda items that may take input `today`: a meeting today or later, or an open hearing.

    A superset (`medverk.cases.input_window.takes_input_now` decides), soonest
    meeting first, youth cases first on a tie.
    """
    result = await session.scalars(
        select(AgendaItem)
        .where(
            or_(
                AgendaItem.meeting_date >= start_of_day_utc(today),
                AgendaItem.hearing_deadline >= today,
            ),
        )
        .order_by(AgendaItem.meeting_date, AgendaItem.for_youth.desc(), AgendaItem.case_ref)
        .limit(limit)
    )
    return list(result)


async def distinct_topics(session: AsyncSession) -> list[str]:
    """Every different `topics` text of the stored agenda items (space-separated words)."""
    return list(await session.scalars(select(AgendaItem.topics).distinct()))


async def last_successful_sync_end(session: AsyncSession) -> datetime | None:
    """When the newest successful case sync finished, or None when none has."""
    return await session.scalar(
        select(func.max(CaseSyncRun.finished_at)).where(CaseSyncRun.ok.is_(True))
    )


async def meeting_place(session: AsyncSession, meeting_id: str) -> str | None:
    """Where a stored meeting is held (`moetested`), or None when unknown."""
    meeting = await session.get(Meeting, meeting_id)
    return meeting.place if meeting is not None else None
