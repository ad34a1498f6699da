"""Storing a draft: exactly once, and nothing lost when the database fails mid-submit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from medverk.identity import sender_key
from medverk.inputs import InputDraft, StoreUnavailable, submit_input
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.models import Input

SECRET = "test-secret"
SENDER = "tg:0123456789abcdef0123456789abcdef"


def draft(key: str = "draft-1") -> InputDraft:
    return InputDraft(
        idempotency_key=key,
        case_ref="26/1187",
        case_title="Nytt kulturhus",
        committee="Ungdomsrådet",
        text="<b>Meir</b> plass til band 🎸",
        malform="nn",
        age_group="16-17",
        consent_contact=True,
        contact="kari@example.no",
    )


async def stored(sm: async_sessionmaker[AsyncSession]) -> list[Input]:
    async with sm() as session:
        return list((await session.execute(select(Input))).scalars())


async def test_submit_stores_all_fields_with_pseudonymous_sender(sessionmaker) -> None:
    """The row has the draft's fields, the channel from the sender id and a keyed hash."""
    result = await submit_input(sessionmaker, draft(), sender_id=SENDER, secret=SECRET)
    assert result.created
    [row] = await stored(sessionmaker)
    assert row.id == result.input_id
    assert (row.case_ref, row.text, row.malform) == (
        "26/1187",
        "<b>Meir</b> plass til band 🎸",
        "nn",
    )
    assert (row.channel, row.age_group, row.status) == ("telegram", "16-17", "new")
    assert row.consent_contact and row.wants_reply and row.contact == "kari@example.no"
    assert row.sender_key == sender_key(SECRET, SENDER)
    assert "0123456789abcdef" not in row.sender_key


async def test_retried_submit_after_lost_reply_stores_once(sessionmaker) -> None:
    """The same draft submitted again (the first reply was lost) gives the same row."""
    first = await submit_input(sessionmaker, draft(), sender_id=SENDER, secret=SECRET)
    second = await submit_input(sessionmaker, draft(), sender_id=SENDER, secret=SECRET)
    assert not second.created
    assert second.input_id == first.input_id
    assert len(await stored(sessionmaker)) == 1


@contextmanager
def backend_killed_before_commit(sm: async_sessionmaker[AsyncSession]) -> Iterator[None]:
    """Terminate the PostgreSQL server process of the submitting session just before COMMIT."""

    def kill(session: Session) -> None:
        session.connection().exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")

    sync_session_class = sm.class_.sync_session_class or Session
    event.listen(sync_session_class, "before_commit", kill)
    try:
        yield
    finally:
        event.remove(sync_session_class, "before_commit", kill)


# Killing the server process of one session mid-transaction needs PostgreSQL.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_database_killed_mid_submit_loses_nothing_and_doubles_nothing(
    database_url: str,
) -> None:
    """PostgreSQL dies inside the transaction: nothing stored, the retry stores exactly once."""
    engine = create_engine(database_url)
    sm = create_sessionmaker(engine)
    try:
        with backend_killed_before_commit(sm), pytest.raises(StoreUnavailable):
            await submit_input(sm, draft(), sender_id=SENDER, secret=SECRET)
        assert await stored(sm) == []
        retried = await submit_input(sm, draft(), sender_id=SENDER, secret=SECRET)
        again = await submit_input(sm, draft(), sender_id=SENDER, secret=SECRET)
        rows = await stored(sm)
        assert retried.created and not again.created
        assert [row.id for row in rows] == [retried.input_id]
        assert rows[0].text == draft().text
    finally:
        await engine.dispose()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """A migrated SQLite file (migrations run outside the test's event loop)."""
    from medverk.store.migrate import upgrade_head

    path = tmp_path / "locked.db"
    upgrade_head(f"sqlite+aiosqlite:///{path}")
    return path


async def test_locked_sqlite_store_fails_cleanly_then_retry_stores_once(sqlite_path: Path) -> None:
    """SQLite held by another writer: plain failure, nothing stored; later retry stores once."""
    path = sqlite_path
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    sm = create_sessionmaker(engine)
    blocker = sqlite3.connect(path, timeout=0)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreUnavailable):
            await submit_input(sm, draft(), sender_id=SENDER, secret=SECRET, timeout=2)
        blocker.rollback()
        assert await stored(sm) == []
        first = await submit_input(sm, draft(), sender_id=SENDER, secret=SECRET)
        second = await submit_input(sm, draft(), sender_id=SENDER, secret=SECRET)
        assert first.created and not second.created
        async with sm() as session:
            count = (await session.execute(select(func.count()).select_from(Input))).scalar_one()
        assert count == 1
    finally:
        blocker.close()
        await engine.dispose()


async def test_unreachable_database_raises_store_unavailable() -> None:
    """A PostgreSQL server that is not there is reported as unavailable, quickly."""
    engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:9/none")
    try:
        with pytest.raises(StoreUnavailable):
            await submit_input(
                create_sessionmaker(engine), draft(), sender_id=SENDER, secret=SECRET, timeout=3
            )
    finally:
        await engine.dispose()


async def test_abusive_input_is_flagged_when_stored(sessionmaker) -> None:
    """Input that matches the word list in data/moderation is stored with the flag."""
    import dataclasses

    await submit_input(sessionmaker, draft(), sender_id=SENDER, secret=SECRET)
    rude = dataclasses.replace(draft("draft-2"), text="Eg skal banke deg opp")
    await submit_input(sessionmaker, rude, sender_id=SENDER, secret=SECRET)
    rows = {row.idempotency_key: row for row in await stored(sessionmaker)}
    assert rows["draft-1"].abuse_flag is False and rows["draft-1"].demo is False
    assert rows["draft-2"].abuse_flag is True
