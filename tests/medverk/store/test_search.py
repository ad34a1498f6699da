"""The search index (migration 0002) on SQLite and PostgreSQL: in step with `inputs`."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from alembic import command
from sqlalchemy import delete, insert, inspect, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.migrate import alembic_config
from medverk.store.models import Input
from medverk.store.search import (
    SEARCH_TABLE,
    TRIGRAM_INDEX,
    include_name,
    query_terms,
    text_matches,
)


def make_input(body: str, **fields: object) -> Input:
    values: dict[str, object] = {
        "idempotency_key": uuid.uuid4().hex,
        "case_ref": "26/1002",
        "text": body,
        "malform": "nn",
        "channel": "web",
        "sender_key": "s" * 64,
    }
    values.update(fields)
    return Input(**values)


async def found(session: AsyncSession, query: str) -> list[str]:
    """Texts the search conditions find for `query`, oldest first."""
    rows = await session.scalars(
        select(Input.text).where(*text_matches(query_terms(query))).order_by(Input.id)
    )
    return list(rows)


async def index_ids(session: AsyncSession, term: str) -> list[int]:
    """Row ids the SQLite FTS5 index itself holds for `term`, without looking at `inputs`."""
    rows = await session.execute(
        text("SELECT rowid FROM inputs_search WHERE inputs_search MATCH :q ORDER BY rowid"),
        {"q": '"' + term + '"'},
    )
    return [int(row_id) for row_id in rows.scalars()]


def test_query_terms() -> None:
    """Words split on spaces; a quoted part is one term; control characters are dropped."""
    assert query_terms("  Buss  kveld buss ") == ["Buss", "kveld", "buss"]
    assert query_terms('"ny skatepark" lys') == ["ny skatepark", "lys"]
    assert query_terms('"open ended') == ["open", "ended"]
    assert query_terms('a"b ""') == ['a"b']
    assert query_terms("nul\x00byte\ttab") == ["nul", "byte", "tab"]
    assert query_terms(' "" ') == ['""']  # only quotes: searched for as written
    assert query_terms(" \x00 ") == []


def test_include_name_leaves_out_only_the_search_index() -> None:
    """The models-vs-database check ignores the FTS5 tables and the trigram index, nothing else."""
    assert not include_name(SEARCH_TABLE, "table", {})
    for shadow in ("data", "idx", "docsize", "config"):
        assert not include_name(f"{SEARCH_TABLE}_{shadow}", "table", {})
    assert not include_name(TRIGRAM_INDEX, "index", {"table_name": "inputs"})
    assert include_name("inputs", "table", {})
    assert include_name("inputs_searching", "table", {})  # not a shadow table of ours
    assert include_name("ix_inputs_created_at", "index", {"table_name": "inputs"})
    assert include_name("text", "column", {"table_name": "inputs"})


async def test_search_objects_exist(database_url: str) -> None:
    """After `upgrade head` the index the filter leaves out is really there."""
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        indexes = await connection.run_sync(
            lambda sync: {index["name"] for index in inspect(sync).get_indexes("inputs")}
        )
    await engine.dispose()
    if database_url.startswith("sqlite"):
        assert SEARCH_TABLE in tables
    else:
        assert TRIGRAM_INDEX in indexes


async def test_index_follows_insert_update_and_delete(
    sessionmaker: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    """New text is found, changed text is found by its new words only, deleted text not at all."""
    async with sessionmaker.begin() as db:
        bus = make_input("Busstilbodet om kvelden er for dårleg")
        park = make_input("Skateparken treng lys")
        db.add_all([bus, park])
    async with sessionmaker() as db:
        assert await found(db, "buss") == ["Busstilbodet om kvelden er for dårleg"]
    async with sessionmaker.begin() as db:
        await db.execute(update(Input).where(Input.id == park.id).values(text="Ny fotballbane"))
    async with sessionmaker() as db:
        assert await found(db, "skatepark") == []
        assert await found(db, "fotball") == ["Ny fotballbane"]
    async with sessionmaker.begin() as db:
        await db.execute(delete(Input).where(Input.id == bus.id))
    async with sessionmaker() as db:
        assert await found(db, "buss") == []
        if database_url.startswith("sqlite"):
            # The index itself forgot the row, not only the join back to `inputs`.
            assert await index_ids(db, "busstilbod") == []
            assert await index_ids(db, "fotball") == [park.id]
            assert await index_ids(db, "skatepark") == []


async def test_upgrade_indexes_existing_rows_and_downgrade_removes_the_index(
    tmp_path: object, database_url: str
) -> None:
    """Rows stored before 0002 are found after it; downgrading to 0001 drops the index again."""
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0001")
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            indexes = await connection.run_sync(
                lambda sync: {index["name"] for index in inspect(sync).get_indexes("inputs")}
            )
        assert SEARCH_TABLE not in tables and TRIGRAM_INDEX not in indexes
        async with sessionmaker.begin() as db:
            # A Core insert names only the columns given (and those with defaults),
            # so it fits the 0001 schema, which lacks columns added later.
            await db.execute(
                insert(Input).values(
                    idempotency_key=uuid.uuid4().hex,
                    case_ref="26/1002",
                    text="Gamalt innspel om biblioteket",
                    malform="nn",
                    channel="web",
                    sender_key="s" * 64,
                )
            )
        await asyncio.to_thread(command.upgrade, config, "head")
        async with sessionmaker() as db:
            assert await found(db, "BIBLIOTEK") == ["Gamalt innspel om biblioteket"]
        async with sessionmaker.begin() as db:
            db.add(make_input("Nytt innspel om biblioteket"))
        async with sessionmaker() as db:
            assert len(await found(db, "bibliotek")) == 2
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    "query",
    ['"', '""', '"""', "AND", "OR NOT", "NEAR(a b)", "a*", "^bus", "col:val", "(((", "'; --"],
)
async def test_fts_syntax_in_the_query_never_raises(
    sessionmaker: async_sessionmaker[AsyncSession], query: str
) -> None:
    """FTS5 operators and quotes in the officer's text are searched for as plain text."""
    async with sessionmaker.begin() as db:
        db.add(make_input("Vi treng ein skatepark"))
    async with sessionmaker() as db:
        assert await found(db, query) == []


async def test_sqlite_search_is_driven_by_the_index(tmp_path: object) -> None:
    """SQLite looks rows up by the ids FTS5 returns instead of scanning `inputs`."""
    from medverk.store.migrate import upgrade_head

    url = f"sqlite+aiosqlite:///{tmp_path}/plan.db"
    await asyncio.to_thread(upgrade_head, url)
    engine = create_engine(url)
    query = select(Input.status).where(*text_matches(["skatepark"]))
    sql = str(query.compile(engine.sync_engine))
    async with engine.connect() as connection:
        plan = await connection.run_sync(
            lambda sync: [
                row[3] for row in sync.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ('"x"',))
            ]
        )
    await engine.dispose()
    assert any("USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any(step.split()[:2] == ["SCAN", "inputs"] for step in plan), plan
