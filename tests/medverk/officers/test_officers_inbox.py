"""The inbox query on SQLite and PostgreSQL: filters, counts, paging, export batches."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.officers.inbox import InboxFilter, filter_options, iter_inputs, search
from medverk.store.models import Input


def _input(created: datetime, **fields: Any) -> Input:
    values: dict[str, Any] = {
        "idempotency_key": uuid.uuid4().hex,
        "case_ref": "26/1001",
        "case_title": "Skatepark",
        "committee": "Ungdomsrådet",
        "text": "tekst",
        "malform": "nn",
        "channel": "web",
        "age_group": "13-15",
        "sender_key": "a" * 64,
        "status": "new",
        "created_at": created,
        "updated_at": created,
    }
    values.update(fields)
    return Input(**values)


def test_filter_from_query_ignores_nonsense() -> None:
    """Unknown statuses, målformer and bad dates are dropped, page numbers clamped."""
    parsed = InboxFilter.from_query(
        {"status": "evil", "malform": "sv", "from": "2026-13-40", "page": "-3", "per_page": "9999"}
    )
    assert (parsed.status, parsed.malform, parsed.date_from, parsed.page) == ("", "", None, 1)
    assert parsed.per_page == 200
    assert InboxFilter.from_query({"case": "26/1", "page": "2"}).to_query(page=1) == {
        "case": "26/1"
    }


async def test_dates_are_local_calendar_days(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Input at 23:30 UTC on 27 Nov is 28 Nov in Norway, and filters that way."""
    late = datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc)
    async with sessionmaker.begin() as db:
        db.add(_input(late))
    async with sessionmaker() as db:
        day_27 = await search(
            db, InboxFilter.from_query({"from": "2026-11-27", "to": "2026-11-27"})
        )
        day_28 = await search(
            db, InboxFilter.from_query({"from": "2026-11-28", "to": "2026-11-28"})
        )
    assert (day_27.total, day_28.total) == (0, 1)


async def test_counts_ignore_the_status_filter(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Counts per status show the other statuses too, under the other filters."""
    now = datetime.now(timezone.utc)
    async with sessionmaker.begin() as db:
        db.add_all(
            [
                _input(now, status="new"),
                _input(now, status="read"),
                _input(now, status="hidden", hidden_reason="x"),
                _input(now, status="new", channel="telegram"),
            ]
        )
    async with sessionmaker() as db:
        page = await search(db, InboxFilter.from_query({"status": "read", "channel": "web"}))
    assert page.total == 1
    assert page.counts == {"new": 1, "read": 1, "answered": 0, "hidden": 1}


async def test_export_iterates_every_row_in_batches(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Keyset batches return every row once, newest first, even with equal timestamps."""
    now = datetime.now(timezone.utc)
    async with sessionmaker.begin() as db:
        db.add_all([_input(now - timedelta(minutes=n // 3)) for n in range(25)])
    async with sessionmaker() as db:
        rows = [item async for item in iter_inputs(db, InboxFilter(), batch_size=4)]
        options = await filter_options(db)
    assert len(rows) == 25 and len({row.id for row in rows}) == 25
    keys = [(row.created_at, row.id) for row in rows]
    assert keys == sorted(keys, reverse=True)
    assert options.cases == [("26/1001", "Skatepark")] and options.age_groups == ["13-15"]
