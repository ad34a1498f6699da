"""Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from sqlalchemy import inspect

from medverk.store.db import create_engine
from medverk.store.models import Base


async def test_migrated_schema_has_every_table(database_url: str) -> None:
    """After `upgrade head` every model table exists (SQLite and PostgreSQL)."""
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(database_url: str) -> None:
    """Autogenerate finds nothing to change: no model change lacks a migration.

    Compared with the filter `migrations/env.py` uses, which leaves out only the
    database-specific search index (see `medverk.store.search.include_name`).
    """
    import asyncio

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from medverk.store.search import include_name

    options = {"include_name": include_name}

    async def diff() -> list[object]:
        engine = create_engine(database_url)
        async with engine.connect() as connection:
            result = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts=options), Base.metadata
                )
            )
        await engine.dispose()
        return list(result)

    assert asyncio.run(diff()) == []
