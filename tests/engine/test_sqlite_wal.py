"""Rasa's SQLite tracker store runs in WAL mode under the launcher (runs in the rasa env)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from medverk.rasa_launcher import install_sqlite_wal


def test_the_tracker_store_saves_and_loads_in_wal_mode(tmp_path: Path) -> None:
    install_sqlite_wal()
    domain = Domain.from_dict({"slots": {"malform": {"type": "text", "mappings": []}}})
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events(
        "abc", [UserUttered("hei", {"name": "greet"}), SlotSet("malform", "nn")], domain.slots
    )
    asyncio.run(store.save(tracker))
    loaded = asyncio.run(store.retrieve("abc"))
    assert loaded is not None and loaded.get_slot("malform") == "nn"
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_commit_does_not_wait_for_the_disk_but_a_killed_engine_loses_nothing(
    tmp_path: Path,
) -> None:
    """synchronous=NORMAL on the store's connections; what was saved is in the file."""
    install_sqlite_wal()
    domain = Domain.from_dict({"slots": {"malform": {"type": "text", "mappings": []}}})
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    with store.engine.connect() as connection:
        # 1 = NORMAL (2 = FULL, SQLite's default)
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    tracker = DialogueStateTracker.from_events("abc", [SlotSet("malform", "nb")], domain.slots)
    asyncio.run(store.save(tracker))
    # Another process (a restarted engine) opening the file sees the saved turn.
    with sqlite3.connect(db) as other:
        rows = other.execute("SELECT type_name FROM events WHERE sender_id = 'abc'").fetchall()
    assert rows == [("slot",)]
