"""The cached SQL tracker store gives what Rasa's SQLTrackerStore gives (rasa env).

Real conversations (tests/engine/recorded.py) are saved turn by turn, as the engine saves
them, on SQLite and on PostgreSQL (127.0.0.1:5432, a scratch database dropped afterwards);
after every turn the cached store's tracker must equal, attribute by attribute, the one
Rasa's own store builds from the same database, and what it saved must equal what Rasa's
store saves. Also: erasure (the gateway deletes a conversation's rows), old rows deleted
(the retention job), a new session, a row changed underneath, and two engines sharing one
database, taking turns.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SessionStarted,
    SlotSet,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker

from medverk.tracker_cache import (
    CachedSQLTrackerStore,
    clone_tracker,
    rasa_copy,
    replayed_copy,
)
from tests.engine.recorded import conversations, domain, tracker_state, turns

POSTGRES = {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "username": "postgres"}


def _postgres_available() -> bool:
    try:
        engine = sa.create_engine("postgresql://postgres@127.0.0.1:5432/test")
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Keyword arguments of SQLTrackerStore for a fresh, empty database."""
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        return
    if not _postgres_available():
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    name = f"medverk_tracker_cache_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(
        "postgresql://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield {**POSTGRES, "db": name}
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Stores:
    """Rasa's store and cached stores on one database."""

    def __init__(self, database: dict[str, Any], cached: int = 1) -> None:
        self.rasa = SQLTrackerStore(domain(), **database)
        self.cached = [CachedSQLTrackerStore(domain(), **database) for _ in range(cached)]

    def close(self) -> None:
        for store in [self.rasa, *self.cached]:
            store.engine.dispose()

    def rows(self, sender: str) -> list[tuple[str, str]]:
        event = SQLTrackerStore.SQLEvent
        with self.rasa.session_scope() as session:
            return [
                (row.type_name, row.data)
                for row in session.query(event.type_name, event.data)
                .filter(event.sender_id == sender)
                .order_by(event.id)
            ]

    def delete(self, sender: str, before: float | None = None) -> None:
        """Delete rows as the gateway's erasure (and, with `before`, the retention job) do."""
        event = SQLTrackerStore.SQLEvent
        with self.rasa.session_scope() as session:
            query = session.query(event).filter(event.sender_id == sender)
            if before is not None:
                query = query.filter(event.timestamp < before)
            query.delete()
            session.commit()

    def assert_same(self, sender: str) -> DialogueStateTracker | None:
        expected = asyncio.run(self.rasa.retrieve(sender))
        for store in self.cached:
            assert tracker_state(asyncio.run(store.retrieve(sender))) == tracker_state(expected)
        return expected


def _events(stored: list[dict[str, Any]]) -> list[Event]:
    return deserialise_events(stored)


def _play_turn(store: SQLTrackerStore, sender: str, stored: list[dict[str, Any]]) -> None:
    """One turn as the processor does it: retrieve (or create), append, save."""
    tracker = asyncio.run(store.retrieve(sender))
    if tracker is None:
        tracker = store.init_tracker(sender)
    for event in _events(stored):
        tracker.update(event)
    asyncio.run(store.save(tracker))


@pytest.fixture
def stores(database: dict[str, Any]) -> Iterator[Stores]:
    both = Stores(database, cached=2)
    yield both
    both.close()


def test_every_turn_of_real_conversations_is_retrieved_as_rasa_retrieves_it(
    stores: Stores,
) -> None:
    for sender, events in conversations().items():
        for turn in turns(events):
            _play_turn(stores.cached[0], sender, turn)
            stores.assert_same(sender)
        assert [data for _, data in stores.rows(sender)] != []
    # Each conversation read in full twice by the store that played it (its first turn
    # found nothing; the first retrieve after that read what was saved), once by the
    # other; after that, new rows only.
    assert stores.cached[0].full_loads == 2 * len(conversations())
    assert stores.cached[1].full_loads == len(conversations())
    assert tracker_state(asyncio.run(stores.cached[0].retrieve("nobody"))) is None


def test_the_cached_store_saves_the_rows_rasa_saves(
    database: dict[str, Any], tmp_path: Path
) -> None:
    other = {"dialect": "sqlite", "db": str(tmp_path / "rasa-only.db")}
    cached, rasa = Stores(database), Stores(other)
    try:
        for sender, events in conversations().items():
            for turn in turns(events):
                _play_turn(cached.cached[0], sender, turn)
                _play_turn(rasa.rasa, sender, turn)
            assert cached.rows(sender) == rasa.rows(sender)
    finally:
        cached.close()
        rasa.close()


def test_two_engines_sharing_one_database_see_each_others_turns(stores: Stores) -> None:
    engine_a, engine_b = stores.cached
    for sender, events in conversations().items():
        for n, turn in enumerate(turns(events)):
            # Turns alternate in runs of one and two between the engines (the lock store
            # serialises them); each engine's kept tracker is behind by the other's turns.
            _play_turn(engine_a if n % 3 == 0 else engine_b, sender, turn)
            stores.assert_same(sender)
    assert engine_a.full_loads == 2 * len(conversations())
    assert engine_b.full_loads == len(conversations())


def test_an_erased_conversation_is_gone_and_starts_again(stores: Stores) -> None:
    sender, events = "visit-nn", conversations()["visit-nn"]
    parts = turns(events)
    for turn in parts[:4]:
        _play_turn(stores.cached[0], sender, turn)
    stores.assert_same(sender)
    loads = stores.cached[0].full_loads
    stores.delete(sender)
    assert stores.assert_same(sender) is None
    assert stores.cached[0].full_loads == loads + 1
    # The same conversation id again, from the start (e.g. "hei igjen" after deleting).
    for turn in parts:
        _play_turn(stores.cached[0], sender, turn)
        stores.assert_same(sender)


def test_erased_and_written_again_by_the_other_engine_is_noticed(stores: Stores) -> None:
    engine_a, engine_b = stores.cached
    sender, parts = "questions", turns(conversations()["questions"])
    for turn in parts[:5]:
        _play_turn(engine_a, sender, turn)
    stores.assert_same(sender)
    stores.delete(sender)
    # As many rows again, through the other engine, before engine A looks again.
    for turn in parts[:5]:
        _play_turn(engine_b, sender, turn)
    stores.assert_same(sender)


def test_deleting_the_oldest_rows_is_noticed(stores: Stores) -> None:
    sender, events = "questions", conversations()["questions"]
    parts = turns(events)
    for turn in parts[:10]:
        _play_turn(stores.cached[0], sender, turn)
    stores.assert_same(sender)
    cutoff = parts[3][0]["timestamp"]
    stores.delete(sender, before=cutoff)  # no session start left: Rasa takes every row
    stores.assert_same(sender)
    for turn in parts[10:]:
        _play_turn(stores.cached[0], sender, turn)
        stores.assert_same(sender)


def test_a_new_session_starts_as_in_rasa(stores: Stores) -> None:
    sender, events = "visit-nb", conversations()["visit-nb"]
    parts = turns(events)
    for turn in parts[:4]:
        _play_turn(stores.cached[0], sender, turn)
    stores.assert_same(sender)
    later = events[-1]["timestamp"] + 3600
    session_start = [
        ActionExecuted("action_session_start", timestamp=later),
        SessionStarted(timestamp=later + 1),
        SlotSet("malform", "nb", timestamp=later + 2),
        ActionExecuted("action_listen", timestamp=later + 3),
    ]
    tracker = asyncio.run(stores.cached[0].retrieve(sender))
    assert tracker is not None
    for event in session_start:
        tracker.update(event)
    asyncio.run(stores.cached[0].save(tracker))
    new_session = stores.assert_same(sender)
    assert new_session is not None and isinstance(new_session.events[0], SessionStarted)
    shift = later + 10 - parts[4][0]["timestamp"]
    for turn in parts[4:]:
        _play_turn(
            stores.cached[0], sender, [{**e, "timestamp": e["timestamp"] + shift} for e in turn]
        )
        stores.assert_same(sender)


def test_a_row_changed_underneath_is_noticed(stores: Stores) -> None:
    sender, parts = "form-stopped", turns(conversations()["form-stopped"])
    for turn in parts[:3]:
        _play_turn(stores.cached[0], sender, turn)
    stores.assert_same(sender)
    event = SQLTrackerStore.SQLEvent
    with stores.rasa.session_scope() as session:
        last = session.query(sa.func.max(event.id)).filter(event.sender_id == sender).scalar()
        row = session.query(event).filter(event.id == last).one()
        row.data = row.data.replace('"timestamp": ', '"timestamp": 1')
        row.timestamp = row.timestamp + 10**9
        session.commit()
    stores.assert_same(sender)


def test_a_handed_out_tracker_is_a_copy(stores: Stores) -> None:
    sender, parts = "visit-nn", turns(conversations()["visit-nn"])
    for turn in parts[:3]:
        _play_turn(stores.cached[0], sender, turn)
    first = asyncio.run(stores.cached[0].retrieve(sender))
    assert first is not None
    first.update(SlotSet("malform", "nb"))
    first.latest_action = {"action_name": "changed"}
    if first.active_loop is not None:
        first.active_loop.is_interrupted = True
    stores.assert_same(sender)


def test_a_clone_has_the_state_of_its_tracker() -> None:
    for sender, events in conversations().items():
        tracker = DialogueStateTracker.from_dict(sender, events, domain().slots)
        clone = clone_tracker(tracker)
        assert tracker_state(clone) == tracker_state(tracker)
        assert tracker_state(clone) == tracker_state(tracker.copy())
        assert clone.events is not tracker.events and clone.slots is not tracker.slots


def test_the_copy_before_each_action_is_rasas_copy(stores: Stores) -> None:
    store = stores.cached[0]
    for sender, events in conversations().items():
        for turn in turns(events):
            retrieved = asyncio.run(store.retrieve(sender))
            tracker = retrieved or store.init_tracker(sender)
            tracker.model_id, tracker.assistant_id = "model", "medverk"  # as the processor
            for event in _events(turn):
                if isinstance(event, ActionExecuted):
                    tracker.clear_followup_action()  # set directly, as the processor does
                    copied = replayed_copy(tracker)
                    assert tracker_state(copied) == tracker_state(rasa_copy(tracker))
                    # Every copy of a tracker the store handed out replays the turn only.
                    assert ("_medverk_replayed" in vars(copied)) == (retrieved is not None)
                tracker.update(event)
            asyncio.run(store.save(tracker))
    # A tracker the store did not hand out: Rasa's copy.
    plain = DialogueStateTracker.from_dict("x", conversations()["visit-nn"], domain().slots)
    assert "_medverk_replayed" not in vars(replayed_copy(plain))
    assert tracker_state(replayed_copy(plain)) == tracker_state(rasa_copy(plain))


def test_the_launcher_makes_the_sql_tracker_store_the_cached_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import rasa.core.tracker_store as tracker_store
    from rasa.utils.endpoints import EndpointConfig

    from medverk.rasa_launcher import install_tracker_cache

    monkeypatch.setattr(tracker_store, "SQLTrackerStore", tracker_store.SQLTrackerStore)
    monkeypatch.setattr(DialogueStateTracker, "copy", DialogueStateTracker.copy)
    install_tracker_cache()
    config = EndpointConfig(type="SQL", dialect="sqlite", db=str(tmp_path / "t.db"))
    store = tracker_store.TrackerStore.create(config, domain())
    assert isinstance(store, CachedSQLTrackerStore)
    assert DialogueStateTracker.copy is replayed_copy
    store.engine.dispose()


def test_a_sqlite_store_keeps_its_connection_between_turns(tmp_path: Path) -> None:
    """One connection for a whole conversation, not one per session (SQLAlchemy's NullPool)."""
    database = {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    both = Stores(database, cached=1)
    store = both.cached[0]
    connects: list[object] = []
    sa.event.listen(
        store.engine, "connect", lambda connection, _record: connects.append(connection)
    )
    sender, events = "visit-nb", conversations()["visit-nb"]
    try:
        for turn in turns(events):
            _play_turn(store, sender, turn)
            both.assert_same(sender)
        # Erased by another connection (the gateway's): seen at the next turn all the same.
        both.delete(sender)
        assert both.assert_same(sender) is None
        assert len(connects) == 1
    finally:
        both.close()
