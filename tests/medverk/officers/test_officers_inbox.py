"""The inbox query on SQLite and PostgreSQL: filters, counts, paging, export batches."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers.inbox import InboxFilter, filter_options, iter_inputs, search
from medverk.store.models import Input

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


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
    now = utcnow()
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
    now = utcnow()
    async with sessionmaker.begin() as db:
        db.add_all([_input(now - timedelta(minutes=n // 3)) for n in range(25)])
    async with sessionmaker() as db:
        rows = [item async for item in iter_inputs(db, InboxFilter(), batch_size=4)]
        options = await filter_options(db)
    assert len(rows) == 25 and len({row.id for row in rows}) == 25
    keys = [(row.created_at, row.id) for row in rows]
    assert keys == sorted(keys, reverse=True)
    assert options.cases == [("26/1001", "Skatepark")] and options.age_groups == ["13-15"]


SEARCH_TEXTS = (
    "Busstilbodet om kvelden er for dårleg",
    "Eg vil ha fleire benkar ved skulebussen",
    "ÆRLEG TALA: biblioteket må vere ope lenger",
    "Grøntområdet ved Åsen skule er øydelagt",
    'Skilt med "Ikkje skate" 50% av tida (100_000 kr?)',
    "Skateparken er heilt topp 👍",
)


async def _search_texts(sessionmaker: async_sessionmaker[AsyncSession], **query: str) -> list[str]:
    """Texts the inbox shows for a query, in the inbox's order (newest first)."""
    async with sessionmaker() as db:
        page = await search(db, InboxFilter.from_query(query))
    return [item.text for item in page.items]


async def _seed_search_texts(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    now = utcnow()
    async with sessionmaker.begin() as db:
        db.add_all(
            [_input(now - timedelta(minutes=n), text=body) for n, body in enumerate(SEARCH_TEXTS)]
        )


async def test_search_finds_parts_of_words_in_any_case(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """'buss' finds a compound's start and end; case and æøå fold both ways."""
    await _seed_search_texts(sessionmaker)
    assert await _search_texts(sessionmaker, q="buss") == [SEARCH_TEXTS[0], SEARCH_TEXTS[1]]
    assert await _search_texts(sessionmaker, q="BUSSTILBOD") == [SEARCH_TEXTS[0]]
    assert await _search_texts(sessionmaker, q="ærleg") == [SEARCH_TEXTS[2]]
    assert await _search_texts(sessionmaker, q="GRØNT") == [SEARCH_TEXTS[3]]
    assert await _search_texts(sessionmaker, q="åsen") == [SEARCH_TEXTS[3]]
    assert await _search_texts(sessionmaker, q="ØYDE") == [SEARCH_TEXTS[3]]
    # å is its own letter: "asen" is not "Åsen".
    assert await _search_texts(sessionmaker, q="asen") == []


async def test_search_needs_every_word_and_keeps_quoted_parts_together(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Several words must all occur, in any order; a quoted part must occur as written."""
    await _seed_search_texts(sessionmaker)
    assert await _search_texts(sessionmaker, q="kvelden buss") == [SEARCH_TEXTS[0]]
    assert await _search_texts(sessionmaker, q="kvelden skatepark") == []
    assert await _search_texts(sessionmaker, q='"om kvelden"') == [SEARCH_TEXTS[0]]
    assert await _search_texts(sessionmaker, q='"kvelden om"') == []


async def test_search_treats_quotes_and_special_characters_as_text(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Quotes, %, _, operators and emoji never raise and match only themselves."""
    await _seed_search_texts(sessionmaker)
    sign = [SEARCH_TEXTS[4]]
    assert await _search_texts(sessionmaker, q='"Ikkje skate"') == sign
    assert await _search_texts(sessionmaker, q="50%") == sign
    assert await _search_texts(sessionmaker, q="100_000") == sign
    assert await _search_texts(sessionmaker, q="kr?)") == sign
    assert await _search_texts(sessionmaker, q="👍") == [SEARCH_TEXTS[5]]
    for literal in ("%", "_", '"'):  # wildcards and quotes stand for themselves
        assert await _search_texts(sessionmaker, q=literal) == sign, literal
    for nothing in ("%%", "__", "%%%", "___", "NOT buss", "buss*", "a OR b", "\\", "'; --"):
        assert await _search_texts(sessionmaker, q=nothing) == [], nothing


async def test_short_terms_fall_back_to_plain_matching(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Terms under three characters still match, alone or next to longer ones."""
    await _seed_search_texts(sessionmaker)
    assert await _search_texts(sessionmaker, q="om") == [SEARCH_TEXTS[0], SEARCH_TEXTS[3]]
    assert await _search_texts(sessionmaker, q="om buss") == [SEARCH_TEXTS[0]]
    assert await _search_texts(sessionmaker, q="EG") == list(SEARCH_TEXTS[:3])


async def test_search_combines_with_filters_counts_and_pages(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Text search narrows the other filters' result; counts and pages follow it."""
    now = utcnow()
    async with sessionmaker.begin() as db:
        db.add_all(
            [
                *(
                    _input(now - timedelta(minutes=n), text=f"Bussen nr {n} er sein")
                    for n in range(7)
                ),
                _input(now, text="Bussen er full", status="read"),
                _input(now, text="Bussen stoppar ikkje", status="hidden", hidden_reason="x"),
                _input(now, text="Bussen er grei", case_ref="26/1002"),
                _input(now, text="Bussen er grei", channel="telegram"),
                _input(now, text="Skateparken er full", status="read"),
            ]
        )
    async with sessionmaker() as db:
        first = await search(
            db, InboxFilter.from_query({"q": "buss", "case": "26/1001"}, per_page=3)
        )
        last = await search(
            db, InboxFilter.from_query({"q": "buss", "case": "26/1001", "page": "3"}, per_page=3)
        )
        read = await search(db, InboxFilter.from_query({"q": "full", "status": "read"}))
        web = await search(db, InboxFilter.from_query({"q": "grei", "channel": "web"}))
    assert first.counts == {"new": 8, "read": 1, "answered": 0, "hidden": 1}
    assert (first.total, first.pages, len(first.items)) == (9, 3, 3)
    # Same time: the newer row (higher id) first.
    assert [item.text for item in first.items] == [
        "Bussen er grei",
        "Bussen er full",
        "Bussen nr 0 er sein",
    ]
    assert [item.text for item in last.items] == [f"Bussen nr {n} er sein" for n in (4, 5, 6)]
    assert sorted(item.text for item in read.items) == ["Bussen er full", "Skateparken er full"]
    assert read.counts == {"new": 0, "read": 2, "answered": 0, "hidden": 0}
    assert [(item.text, item.case_ref) for item in web.items] == [("Bussen er grei", "26/1002")]


async def test_search_leaves_out_hidden_input_unless_asked(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Hidden input matches the text but shows only under 'hidden' or 'all', and is counted."""
    now = utcnow()
    async with sessionmaker.begin() as db:
        db.add_all(
            [
                _input(now, text="Stygg tekst om bussen", status="hidden", hidden_reason="x"),
                _input(now - timedelta(minutes=1), text="Bussen er fin"),
            ]
        )
    assert await _search_texts(sessionmaker, q="bussen") == ["Bussen er fin"]
    assert await _search_texts(sessionmaker, q="bussen", status="hidden") == [
        "Stygg tekst om bussen"
    ]
    assert await _search_texts(sessionmaker, q="bussen", status="all") == [
        "Stygg tekst om bussen",
        "Bussen er fin",
    ]
    async with sessionmaker() as db:
        page = await search(db, InboxFilter.from_query({"q": "stygg"}))
    assert (page.total, page.counts["hidden"]) == (0, 1)


async def test_export_rows_follow_the_search(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The export streams exactly what the searched inbox shows."""
    await _seed_search_texts(sessionmaker)
    async with sessionmaker() as db:
        rows = [row.text async for row in iter_inputs(db, InboxFilter.from_query({"q": "buss"}))]
    assert rows == [SEARCH_TEXTS[0], SEARCH_TEXTS[1]]
