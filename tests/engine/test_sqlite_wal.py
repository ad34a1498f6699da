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
