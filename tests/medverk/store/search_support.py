"""Test helper: where the inbox search can still find a word, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.officers.inbox import ALL_STATUSES, InboxFilter, search


async def findable_ids(sessionmaker: async_sessionmaker[AsyncSession], term: str) -> set[int]:
    """Ids the inbox search finds for `term` (any status), plus, on SQLite, those the
    FTS5 index itself still holds, which a join back to `inputs` would hide."""
    async with sessionmaker() as db:
        page = await search(db, InboxFilter(q=term, status=ALL_STATUSES, per_page=200))
        ids = {item.id for item in page.items}
        if db.get_bind().dialect.name == "sqlite":
            held = await db.scalars(
                text("SELECT rowid FROM inputs_search WHERE inputs_search MATCH :q"),
                {"q": '"' + term.replace('"', '""') + '"'},
            )
            ids |= {int(row_id) for row_id in held}
    return ids
