"""The gateway's scheduled case sync: fills the store at start-up and survives a dead source."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot import case_sync
from bot.keys import HTTP_SESSION, SESSIONMAKER, SETTINGS
from medverk.settings import PROJECT_ROOT, load_settings
from medverk.store import cases_repo


async def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def _run_app(
    sessionmaker: Any, settings: Any, interval: float
) -> tuple[web.AppRunner, web.Application]:
    app = web.Application()
    app[SETTINGS] = settings
    app[SESSIONMAKER] = sessionmaker

    async def http(app: web.Application) -> Any:
        async with aiohttp.ClientSession() as session:
            app[HTTP_SESSION] = session
            yield

    app.cleanup_ctx.append(http)
    case_sync.setup(app, first_delay=0.0, interval=interval)
    runner = web.AppRunner(app)
    await runner.setup()
    return runner, app


async def test_first_sync_runs_at_start_up(
    sessionmaker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after start-up the sample data is in the store and the run is recorded ok."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    settings = dataclasses.replace(
        load_settings(), case_source="file", cases_dir=PROJECT_ROOT / "data" / "cases"
    )
    runner, app = await _run_app(sessionmaker, settings, interval=3600)
    try:
        await _wait_for(lambda: bool(app[case_sync.LAST_CASE_SYNC]))
    finally:
        await runner.cleanup()
    assert app[case_sync.LAST_CASE_SYNC][0].ok
    async with sessionmaker() as session:
        state = await cases_repo.sync_state(session)
    assert state.item_count == 31
    assert state.last_success is not None and state.last_success.source == "file"


async def test_a_dead_source_keeps_the_schedule_and_the_data(
    sessionmaker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the eInnsyn source unreachable, each run is recorded as failed and the loop goes on."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    settings = dataclasses.replace(
        load_settings(), case_source="einnsyn", einnsyn_api_url="http://127.0.0.1:9"
    )
    runner, _ = await _run_app(sessionmaker, settings, interval=0.05)
    try:

        async def two_failed_runs() -> None:
            while True:
                async with sessionmaker() as session:
                    state = await cases_repo.sync_state(session)
                if state.last_run is not None and state.last_run.id >= 2:
                    return
                await asyncio.sleep(0.1)

        await asyncio.wait_for(two_failed_runs(), 60)
    finally:
        await runner.cleanup()
    async with sessionmaker() as session:
        state = await cases_repo.sync_state(session)
    assert state.last_run is not None and not state.last_run.ok
    assert "CaseSourceUnavailable" in (state.last_run.error or "")
    assert state.last_success is None


def test_interval_zero_turns_the_schedule_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """MEDVERK_CASE_SYNC_INTERVAL=0 adds no background task."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_CASE_SYNC_INTERVAL", "0")
    app = web.Application()
    app[SETTINGS] = load_settings()
    before = len(app.cleanup_ctx)
    case_sync.setup(app)
    assert len(app.cleanup_ctx) == before
