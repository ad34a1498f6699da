"""`medverk retention run` uses the retention rule an admin saved in the officer app."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from medverk.cli import main
from medverk.clock import utcnow
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.migrate import upgrade_head
from medverk.store.models import Input
from medverk.store.settings_repo import set_setting

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


async def _seed_and_save_rule(url: str) -> None:
    engine = create_engine(url)
    async with create_sessionmaker(engine).begin() as db:
        db.add(
            Input(
                idempotency_key="forty-days",
                case_ref="2026/411",
                text="Gammalt innspel",
                malform="nn",
                channel="web",
                sender_key="s" * 64,
                created_at=utcnow() - timedelta(days=40),
            )
        )
        await set_setting(db, "retention_days", "30", by="kari")
        await set_setting(db, "retention_mode", "delete", by="kari")
    await engine.dispose()


async def _count(url: str) -> int:
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as db:
        rows = (await db.scalars(select(Input.id))).all()
    await engine.dispose()
    return len(rows)


def test_cli_applies_the_saved_rule(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With 30 days/delete saved (env says 365/anonymise), 40-day-old input is deleted."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("MEDVERK_DATABASE_URL", url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_RETENTION_DAYS", "365")
    monkeypatch.delenv("MEDVERK_RETENTION_MODE", raising=False)
    upgrade_head(url)
    asyncio.run(_seed_and_save_rule(url))
    assert main(["retention", "run"]) == 0
    assert "retention (30 days" in capsys.readouterr().out
    assert asyncio.run(_count(url)) == 0
