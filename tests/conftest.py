"""Shared fixtures: databases (SQLite and PostgreSQL) with migrations applied.

The migrations run once per test session into a template (a SQLite file, a PostgreSQL
template database); each test gets its own copy of it, so tests never see each other's
rows and do not pay for the migrations again (about 0.25 s a test).
"""

from __future__ import annotations

import asyncio
import os
import shutil
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
        conn = await asyncpg.connect(_admin_dsn(), timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}"
    return None


def _admin_dsn() -> str:
    return POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")


def _create_postgres_database(template: str | None = None) -> tuple[str, str]:
    """A fresh database (a copy of `template` when given): its URL and name."""
    import asyncpg

    name = "medverk_t_" + uuid.uuid4().hex[:12]
    copy_of = f' TEMPLATE "{template}"' if template else ""

    async def create() -> None:
        conn = await asyncpg.connect(_admin_dsn())
        await conn.execute(f'CREATE DATABASE "{name}"{copy_of}')
        await conn.close()

    asyncio.run(create())
    base, _, _db = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{name}", name


def _drop_postgres_database(name: str) -> None:
    import asyncpg

    async def drop() -> None:
        conn = await asyncpg.connect(_admin_dsn())
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(drop())


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, copied for each test."""
    from medverk.store.migrate import upgrade_head

    path = tmp_path_factory.mktemp("template") / "migrated.db"
    upgrade_head(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str]:
    """A PostgreSQL database with every migration applied, the template of each test's."""
    from medverk.store.migrate import upgrade_head

    reason = _postgres_reachable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    url, name = _create_postgres_database()
    try:
        upgrade_head(url)
        yield name
    finally:
        _drop_postgres_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite file, then PostgreSQL (own database)."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url, name = _create_postgres_database(template=request.getfixturevalue("_postgres_template"))
    try:
        yield url
    finally:
        _drop_postgres_database(name)


@pytest.fixture
async def sessionmaker(database_url: str) -> AsyncIterator[object]:
    """An async sessionmaker on the migrated test database."""
    from medverk.store.db import create_engine, create_sessionmaker

    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def stack(trained_model_path: Path) -> Iterator[object]:
    """The whole running Medverk (Rasa with the trained model, action server, gateway).

    Started once per test session on free ports with a throw-away var dir.
    Needs a trained model in models/ (`make train`; `make test` trains first).
    """
    from medverk.runner import running_stack

    with running_stack(model=trained_model_path) as running:
        yield running


@pytest.fixture(scope="session")
def trained_model_path() -> Path:
    """The trained model for tests that start the stack; skip (fail under CI) without one."""
    from medverk.runner import trained_model

    model = trained_model()
    if model is None:
        reason = "no trained Rasa model (models/ or MEDVERK_TEST_MODEL): run `make train` first"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    return model
