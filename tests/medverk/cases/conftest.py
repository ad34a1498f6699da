"""Fixtures for the case tests: the sample data, the eInnsyn stand-in server."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).parent))

from einnsyn_standin import SchemaCheck, StandinState, create_standin, load_spec

from medverk.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "data" / "cases" / "eksempelvik.json"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's dates are read as on 2026-11-28."""
    monkeypatch.setenv("MEDVERK_TODAY", "2026-11-28")


@pytest.fixture(scope="session")
def schema_check() -> SchemaCheck:
    """Validator for eInnsyn response bodies (spec parsed once per session)."""
    return SchemaCheck(load_spec())


@pytest.fixture
def standin_state() -> StandinState:
    return StandinState()


@pytest.fixture
async def standin(
    standin_state: StandinState, schema_check: SchemaCheck
) -> AsyncIterator[TestServer]:
    """The eInnsyn stand-in on a free loopback port."""
    server = TestServer(create_standin(SAMPLE, standin_state, schema_check), host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
