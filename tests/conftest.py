"""Shared fixtures: databases (SQLite and PostgreSQL) with migrations applied."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "MEDVERK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import asyncpg
    except ImportError as exc:  # pragma: no cover - asyncpg is a dependency
        return f"asyncpg missing: {exc}"

    async def probe() -> None:
        dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(dsn, timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}"
    return None


def _create_postgres_schema() -> tuple[str, str]:
    """A fresh schema per test database, so tests never see each other's rows."""
    import asyncpg

    schema = "t_" + uuid.uuid4().hex[:12]

    async def create() -> None:
        dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'CREATE SCHEMA "{schema}"')
        await conn.close()

    asyncio.run(create())
    sep = "&" if "?" in POSTGRES_ADMIN_URL else "?"
    # asyncpg takes server settings through the URL's query string via SQLAlchemy
    return POSTGRES_ADMIN_URL + f"{sep}options=-csearch_path%3D{schema}", schema


def _drop_postgres_schema(schema: str) -> None:
    import asyncpg

    async def drop() -> None:
        dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()

    asyncio.run(drop())


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite file, then PostgreSQL (own schema)."""
    from medverk.store.migrate import upgrade_head

    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        upgrade_head(url)
        yield url
        return
    reason = _postgres_reachable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    url, schema = _create_postgres_schema()
    try:
        upgrade_head(url)
        yield url
    finally:
        _drop_postgres_schema(schema)


@pytest.fixture
async def sessionmaker(database_url: str) -> AsyncIterator[object]:
    """An async sessionmaker on the migrated test database."""
    from medverk.store.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()
