"""One stack for all resilience tests: PostgreSQL behind a proxy that can cut it.

The stack is started once per session (the Rasa engine needs about a minute);
the tests kill its parts and cut its database, and the supervisor and the
store bring it back. Helpers live in stack_chat.py and fault_proxy.py.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fault_proxy import FaultProxy

from medverk.runner import Stack, running_stack

POSTGRES_URL = os.environ.get(
    "MEDVERK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def _admin(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(
            POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=5
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def postgres_name() -> Iterator[str]:
    """A fresh PostgreSQL database for the session's stack (fails under CI when unreachable)."""
    name = "medverk_resil_" + uuid.uuid4().hex[:10]
    try:
        _admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def db_proxy() -> Iterator[FaultProxy]:
    """The proxy between the stack and PostgreSQL."""
    host_port = POSTGRES_URL.split("@", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    proxy = FaultProxy((host, int(port or 5432)))
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def stack(trained_model_path: Path, postgres_name: str, db_proxy: FaultProxy) -> Iterator[Stack]:
    """The whole Medverk on PostgreSQL through the proxy; today pinned."""
    base = POSTGRES_URL.split("@", 1)[0]
    env = {
        "MEDVERK_TODAY": "2026-11-28",
        "MEDVERK_DATABASE_URL": f"{base}@127.0.0.1:{db_proxy.port}/{postgres_name}",
        # The load test's 50 conversations come from one address.
        "MEDVERK_CHAT_LIMIT_PER_IP": "100000",
        "MEDVERK_CHAT_LIMIT_PER_SENDER": "100000",
    }
    with running_stack(model=trained_model_path, extra_env=env) as running:
        yield running
