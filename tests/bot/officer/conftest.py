"""Fixtures for the officer app's HTTP tests: a gateway on a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from medverk.settings import load_settings
from medverk.store.db import create_engine, create_sessionmaker
from tests.bot.officer.support import LoggedIn, OfficerClient
from tests.medverk.officers.conftest import cheap_password_hashing  # noqa: F401


@pytest.fixture
async def officer_client(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[OfficerClient]:
    """The gateway on a fresh database, with an officer `ola` and an admin `kari`."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_DEFAULT_MALFORM", "nn")
    engine = create_engine(database_url)
    helper_sessions = create_sessionmaker(engine)
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        helper = OfficerClient(client=client, sessionmaker=helper_sessions)
        await helper.add_officer("ola", "officer")
        await helper.add_officer("kari", "admin")
        yield helper
    await engine.dispose()


@pytest.fixture
def logged_in(officer_client: OfficerClient) -> LoggedIn:
    """Log the client in as the given user and return it."""

    async def login(username: str = "ola") -> OfficerClient:
        response = await officer_client.login(username)
        assert response.status == 303, await response.text()
        return officer_client

    return login
