"""The gateway runs the retention rule on a schedule for its whole lifetime."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import select

from bot import retention_job
from bot.keys import SESSIONMAKER, SETTINGS
from medverk.clock import utcnow
from medverk.settings import load_settings
from medverk.store.inputs_repo import ANONYMISED_SENDER_KEY
from medverk.store.models import Input

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


async def test_scheduled_run_anonymises_old_input(
    sessionmaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started with the app, the job anonymises input past the limit and stops with the app."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    settings = dataclasses.replace(
        load_settings(), retention_days=30, rasa_tracker_db=tmp_path / "none.db"
    )
    async with sessionmaker.begin() as session:
        session.add(
            Input(
                idempotency_key="old",
                case_ref="2026/411",
                text="gammalt",
                malform="nn",
                channel="web",
                sender_key="s" * 64,
                created_at=utcnow() - timedelta(days=40),
            )
        )
    app = web.Application()
    app[SETTINGS] = settings
    app[SESSIONMAKER] = sessionmaker
    retention_job.setup(app, first_delay=0, interval=3600)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        for _ in range(100):
            async with sessionmaker() as session:
                key = await session.scalar(select(Input.sender_key))
            if key == ANONYMISED_SENDER_KEY:
                break
            await asyncio.sleep(0.05)
        assert key == ANONYMISED_SENDER_KEY
    finally:
        await runner.cleanup()
