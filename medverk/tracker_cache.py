"""Rasa's SQL tracker store, with each conversation's tracker kept between turns (rasa env).

Rasa's `SQLTrackerStore.retrieve` reads every row of the conversation since its latest
session start, decodes each row's JSON and replays every event into a new tracker, on
every turn: the longer the conversation, the slower each turn. `CachedSQLTrackerStore`
keeps the tracker it built (one per conversation, least recently used dropped first) and
on the next `retrieve` reads only the rows stored after the last one it has seen, replays
those onto its tracker, and hands out a copy (`clone_tracker`), so a turn's changes never
reach the kept tracker.

The store stays the source of truth. Each `retrieve` checks that what was seen is still
there: the last row seen still exists with the same content, and the conversation has as
many rows up to it as before (a deleted row, e.g. the gateway's erasure or the retention
job, or a row committed late under an earlier id, changes the count). When the check
fails, a new row is a `SessionStarted` (the session changed), or a new row would fall
outside Rasa's session filter (`timestamp >= latest SessionStarted`), the conversation is
loaded in full with Rasa's own query and replay, as `SQLTrackerStore` does. Rows written
by another engine sharing the database (the cluster: the Redis lock store serialises a
conversation's turns) are simply the newer rows and are read on the next turn.

`save` is Rasa's, except that when the kept tracker is known to match the store its row
count is used instead of Rasa's count query over the whole session.
"""

from __future__ import annotations

import copy
import itertools
import json
import operator
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

__all__ = [
    "CACHED_CONVERSATIONS",
    "CACHED_EVENTS",
    "CachedSQLTrackerStore",
    "clone_tracker",
    "rasa_copy",
    "replayed_copy",
]

# Bounds of what is kept (the least recently used conversation goes first): a 200-message
# conversation is about 1,000 events.
CACHED_CONVERSATIONS = 500
CACHED_EVENTS = 30_000
_REPLAYED = "_medverk_replayed"  # a tracker built from a prefix of the events (see replayed_copy)

rasa_copy = DialogueStateTracker.copy  # Rasa's own (before the launcher replaces it)


def clone_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy of `tracker` in the same state, without replaying its events.

    Rasa's `tracker.copy()` replays every event into a new tracker; the state that gives
    is the state a tracker built from its events has, which is what the tracker store's
    trackers are. Here the same state is copied: the events (the same event objects, as
    Rasa's copy has), the slots (each slot copied, as a new tracker's are) and the mutable
    parts of the state (latest action, active loop); the rest are immutable values.
    """
    clone = object.__new__(type(tracker))
    state = dict(tracker.__dict__)
    state["events"] = deque(tracker.events, tracker.events.maxlen)
    slots = type(tracker.slots)()
    for name, slot in tracker.slots.items():
        slots[name] = copy.copy(slot)
    state["slots"] = slots
    if tracker.latest_action is not None:
        state["latest_action"] = dict(tracker.latest_action)
    if tracker.active_loop is not None:
        state["active_loop"] = copy.copy(tracker.active_loop)
    clone.__dict__.update(state)
    return clone


def replayed_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """`DialogueStateTracker.copy`, replaying only the events after the kept replay.

    Rasa's copy (the processor makes one before every action it runs) is a new tracker
    with every event replayed into it: its state is what the events give, not what was
    set on the tracker directly since (the processor clears a follow-up action and sets the
    model id without an event). A tracker handed out by `CachedSQLTrackerStore` carries the
    store's replayed tracker of the events it was loaded with; the copy is a clone of that
    with the events added since replayed onto it, the same state Rasa's replay gives.
    Anything else (no replay kept, events not a continuation of it) is Rasa's copy.
    """
    replayed: DialogueStateTracker | None = tracker.__dict__.get(_REPLAYED)
    events = tracker.events
    if (
        replayed is None
        or events.maxlen is not None
        or len(replayed.events) > len(events)
        or not all(map(operator.is_, replayed.events, events))
    ):
        return rasa_copy(tracker)
    new = list(itertools.islice(events, len(replayed.events), None))
    if not all(event.timestamp <= float("inf") for event in new):
        return rasa_copy(tracker)  # Rasa's copy stops at such an event
    copied = clone_tracker(replayed)
    for event in new:
        copied.update(event)
    copied.__dict__[_REPLAYED] = replayed
    return copied


@dataclass
class _Conversation:
    """A kept tracker and what the store held when it was last read."""

    tracker: DialogueStateTracker
    domain: Domain
    session_rows: int  # rows since the session start (what Rasa's query returns)
    rows_up_to_last: int  # all rows of the conversation with id <= last_id
    last_id: int
    last_data: str
    session_start: float | None  # the latest SessionStarted's timestamp, Rasa's filter


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that reads only a conversation's new rows on each turn."""

    # Set when `applied_events` keeps its fold (medverk.dialogue_states): the kept tracker
    # then continues it with the new rows, and every copy handed out starts from there.
    keep_applied_events = False
    engine: Any  # Rasa's SQLAlchemy engine (replaced by a pooled one for a SQLite file)

    def __init__(
        self,
        *args: Any,
        cached_conversations: int = CACHED_CONVERSATIONS,
        cached_events: int = CACHED_EVENTS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._pool_sqlite_connections()
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._max_conversations = cached_conversations
        self._max_events = cached_events
        self._events = 0
        self.full_loads = 0  # retrieves that read the whole session (Rasa's query)

    def _pool_sqlite_connections(self) -> None:
        """Keep the SQLite file's connection open between turns.

        SQLAlchemy 1.4 gives a file SQLite database no pool (`NullPool`): every session
        of every turn opened the file, set it up (WAL, busy timeout) and closed it again,
        a tenth of the engine's time under load. A small pool keeps it open; each turn
        still runs in its own transaction, so rows other processes commit (the gateway's
        erasure) are seen at the next one. Only file databases: an in-memory one would be
        a new, empty database on every extra connection. PostgreSQL keeps Rasa's pool.
        """
        url = self.engine.url
        if self.engine.dialect.name != "sqlite" or url.database in (None, "", ":memory:"):
            return
        self.engine.dispose()
        self.engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=1,
            max_overflow=4,
            connect_args={"check_same_thread": False},
        )
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The tracker of the latest session, as `SQLTrackerStore.retrieve` gives it."""
        with self.session_scope() as session:
            conversation = self._updated(session, sender_id)
            if conversation is None:
                conversation = self._load(session, sender_id)
        if conversation is None:
            return None
        tracker = clone_tracker(conversation.tracker)
        tracker.__dict__[_REPLAYED] = clone_tracker(conversation.tracker)
        return tracker

    def _new_rows(self, session: Any, sender_id: str, conversation: _Conversation) -> Any:
        """Rows from the last one seen on, or None when the store no longer matches."""
        event = self.SQLEvent
        rows = (
            session.query(event.id, event.type_name, event.timestamp, event.data)
            .filter(event.sender_id == sender_id, event.id >= conversation.last_id)
            .order_by(event.id)
            .all()
        )
        if not rows or rows[0].id != conversation.last_id or rows[0].data != conversation.last_data:
            return None
        if (
            self._rows_up_to(session, sender_id, conversation.last_id)
            != conversation.rows_up_to_last
        ):
            return None
        return rows[1:]

    def _rows_up_to(self, session: Any, sender_id: str, last_id: int) -> int:
        event = self.SQLEvent
        count = (
            session.query(sa.func.count(event.id))
            .filter(event.sender_id == sender_id, event.id <= last_id)
            .scalar()
        )
        return int(count or 0)

    def _updated(self, session: Any, sender_id: str) -> _Conversation | None:
        """The kept conversation with the store's new rows replayed, or None (load it)."""
        conversation = self._conversations.get(sender_id)
        if conversation is None or conversation.domain is not self.domain:
            return None
        rows = self._new_rows(session, sender_id, conversation)
        start = conversation.session_start
        if rows is None or any(
            row.type_name == SessionStarted.type_name
            or row.timestamp is None
            or (start is not None and row.timestamp < start)
            for row in rows
        ):
            return None
        if rows:
            try:
                for event in deserialise_events([json.loads(row.data) for row in rows]):
                    conversation.tracker.update(event)
            except Exception:  # noqa: BLE001 - whatever it is, Rasa's own load decides
                self._forget(sender_id)  # half replayed; the full load raises as Rasa would
                return None
            conversation.session_rows += len(rows)
            conversation.rows_up_to_last += len(rows)
            conversation.last_id = rows[-1].id
            conversation.last_data = rows[-1].data
            self._events += len(rows)
        self._conversations.move_to_end(sender_id)
        self._bound()
        if self.keep_applied_events:
            conversation.tracker.applied_events()
        return conversation

    def _load(self, session: Any, sender_id: str) -> _Conversation | None:
        """Rasa's query and replay (`SQLTrackerStore._retrieve`), and keep the result."""
        self._forget(sender_id)
        self.full_loads += 1
        event = self.SQLEvent
        rows = (
            self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            .with_entities(event.id, event.type_name, event.timestamp, event.data)
            .all()
        )
        events = [json.loads(row.data) for row in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        starts = [
            row.timestamp
            for row in rows
            if row.type_name == SessionStarted.type_name and row.timestamp is not None
        ]
        conversation = _Conversation(
            tracker=tracker,
            domain=self.domain,
            session_rows=len(rows),
            rows_up_to_last=self._rows_up_to(session, sender_id, rows[-1].id),
            last_id=rows[-1].id,
            last_data=rows[-1].data,
            session_start=max(starts) if starts else None,
        )
        self._conversations[sender_id] = conversation
        self._events += len(rows)
        self._bound()
        if self.keep_applied_events:
            tracker.applied_events()
        return conversation

    def _forget(self, sender_id: str) -> None:
        conversation = self._conversations.pop(sender_id, None)
        if conversation is not None:
            self._events -= conversation.session_rows

    def _bound(self) -> None:
        while self._conversations and (
            len(self._conversations) > self._max_conversations or self._events > self._max_events
        ):
            _, oldest = self._conversations.popitem(last=False)
            self._events -= oldest.session_rows

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """The tracker's events not stored yet (Rasa counts the stored ones each save)."""
        sender_id = tracker.sender_id
        conversation = self._conversations.get(sender_id)
        if (
            conversation is not None
            and conversation.domain is self.domain
            and self._new_rows(session, sender_id, conversation) == []
        ):
            return itertools.islice(tracker.events, conversation.session_rows, len(tracker.events))
        return super()._additional_events(session, tracker)
