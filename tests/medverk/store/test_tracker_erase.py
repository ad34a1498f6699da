"""Erasing one sender's conversation from Rasa's SQL tracker store (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from medverk.settings import load_settings
from medverk.store.tracker_erase import erase_tracker, erase_tracker_at, tracker_database_url

# The table Rasa 3.6's SQLTrackerStore creates (rasa/core/tracker_store.py, SQLEvent).
_metadata = sa.MetaData()
EVENTS = sa.Table(
    "events",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
ME, OTHER = "web:me-123456789", "web:other-123456"


async def fill_tracker(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_metadata.create_all)
        await connection.execute(
            EVENTS.insert(),
            [
                {"sender_id": sender, "type_name": "user", "timestamp": float(i), "data": "{}"}
                for sender in (ME, OTHER)
                for i in range(3)
            ],
        )
    await engine.dispose()


async def senders_left(url: str) -> list[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(sa.select(EVENTS.c.sender_id))
        senders = sorted(rows.scalars())
    await engine.dispose()
    return senders


async def test_erase_removes_only_that_senders_events(database_url: str) -> None:
    """All events of the sender go; other conversations stay untouched."""
    await fill_tracker(database_url)
    assert await erase_tracker_at(database_url, ME) == 3
    assert await senders_left(database_url) == [OTHER] * 3
    assert await erase_tracker_at(database_url, ME) == 0


async def test_erase_before_rasa_made_its_table_deletes_nothing(database_url: str) -> None:
    """A tracker store without an events table yet is not an error."""
    assert await erase_tracker_at(database_url, ME) == 0


async def test_erase_uses_the_configured_sqlite_file(tmp_path: Path) -> None:
    """With default settings the SQLite file `rasa_tracker_db` is the store."""
    settings = dataclasses.replace(load_settings(), rasa_tracker_db=tmp_path / "rasa.db")
    assert await erase_tracker(settings, ME) == 0  # no file yet: nothing to erase
    url = tracker_database_url(settings)
    await fill_tracker(url)
    assert await erase_tracker(settings, ME) == 3
    assert await senders_left(url) == [OTHER] * 3


def test_postgresql_tracker_url_gets_async_driver() -> None:
    """A plain PostgreSQL URL for scale-out is used with the asyncio driver."""
    settings = dataclasses.replace(
        load_settings(), rasa_tracker_url="postgresql://rasa@db:5432/tracker"
    )
    assert tracker_database_url(settings) == "postgresql+asyncpg://rasa@db:5432/tracker"


async def test_events_older_than_cutoff_are_erased(database_url: str) -> None:
    """Conversation retention deletes events by Rasa's Unix timestamp, keeping newer ones."""
    from datetime import datetime, timezone

    from medverk.store.tracker_erase import erase_tracker_events_before

    await fill_tracker(database_url)  # timestamps 0.0, 1.0, 2.0 (1970)
    cutoff = datetime.fromtimestamp(1.5, tz=timezone.utc)
    assert await erase_tracker_events_before(database_url, cutoff) == 4
    assert await senders_left(database_url) == [ME, OTHER]
