"""Deletes one sender's conversation history from Rasa's SQL tracker store.

Rasa keeps every event of a conversation in the table `events` (column
`sender_id`). By default that table lives in the SQLite file
`settings.rasa_tracker_db`; for scale-out it is PostgreSQL at
`settings.rasa_tracker_url`. The gateway calls `erase_tracker` after the turn in
which the citizen confirmed deletion, because Rasa saves a turn's events only
after its actions ran.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import ColumnElement, column, delete, table
from sqlalchemy.exc import NoSuchTableError, OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from medverk.settings import Settings, async_database_url

__all__ = [
    "erase_tracker",
    "erase_tracker_at",
    "erase_tracker_events_before",
    "tracker_database_url",
]

log = logging.getLogger(__name__)


def _engine(database_url: str) -> AsyncEngine:
    # Not medverk.store.db.create_engine: that one switches SQLite to WAL, and
    # this file belongs to Rasa. Wait for Rasa's write lock instead of failing.
    if database_url.startswith("sqlite"):
        return create_async_engine(database_url, connect_args={"timeout": 10})
    return create_async_engine(database_url)


def tracker_database_url(settings: Settings) -> str:
    """The async SQLAlchemy URL of Rasa's tracker store."""
    if settings.rasa_tracker_url:
        return async_database_url(settings.rasa_tracker_url)
    return f"sqlite+aiosqlite:///{settings.rasa_tracker_db}"


# Only the columns we filter on; Rasa owns the table and its schema.
_EVENTS = table("events", column("sender_id"), column("timestamp"))


async def _delete_events(database_url: str, where: ColumnElement[bool]) -> int:
    engine = _engine(database_url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(delete(_EVENTS).where(where))
            return int(result.rowcount or 0)
    except (NoSuchTableError, ProgrammingError, OperationalError) as exc:
        if "events" in str(exc) and ("no such table" in str(exc) or "does not exist" in str(exc)):
            return 0
        raise
    finally:
        await engine.dispose()


async def erase_tracker_at(database_url: str, sender_id: str) -> int:
    """Delete every tracker event of `sender_id` in the store at `database_url`.

    Returns the number of events deleted (0 when the store or table does not
    exist yet, e.g. before Rasa's first conversation).
    """
    return await _delete_events(database_url, _EVENTS.c.sender_id == sender_id)


async def erase_tracker_events_before(database_url: str, cutoff: datetime) -> int:
    """Delete every tracker event older than `cutoff` (Rasa stores Unix timestamps)."""
    return await _delete_events(database_url, _EVENTS.c.timestamp < cutoff.timestamp())


async def erase_tracker(settings: Settings, sender_id: str) -> int:
    """Delete the conversation history of `sender_id` from Rasa's tracker store."""
    if not settings.rasa_tracker_url and not settings.rasa_tracker_db.exists():
        return 0
    deleted = await erase_tracker_at(tracker_database_url(settings), sender_id)
    log.info("erased %d tracker events of one sender", deleted)
    return deleted
