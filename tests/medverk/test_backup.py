"""`medverk backup` while the store is written to, and a restore with retention applied."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from medverk.backup import BackupError, backup_sqlite, restore_sqlite
from medverk.clock import utcnow
from medverk.inputs import InputDraft, submit_input
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.migrate import upgrade_head
from medverk.store.models import Input

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

PROJECT = Path(__file__).resolve().parents[2]


def _draft(key: str) -> InputDraft:
    return InputDraft(
        idempotency_key=key,
        case_ref="2026/411",
        case_title="Gratis buss for ungdom under 20 år",
        committee="Ungdomsrådet",
        text=f"innspel {key}",
        malform="nn",
        age_group="16-17",
        consent_contact=True,
        contact="kari@example.no",
    )


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "medverk.cli", *args],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


async def _texts(url: str) -> dict[str, str | None]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            return {row.text: row.contact for row in await session.scalars(select(Input))}
    finally:
        await engine.dispose()


async def test_backup_while_writing_and_restore_applies_retention(tmp_path: Path) -> None:
    """Backup during writes is consistent; restore brings rows back, minus what expired."""
    db = tmp_path / "medverk.db"
    url = f"sqlite+aiosqlite:///{db}"
    await asyncio.to_thread(upgrade_head, url)
    engine = create_engine(url)
    sm = create_sessionmaker(engine)
    await submit_input(sm, _draft("old"), sender_id="web:a", secret="s")
    async with sm.begin() as session:
        await session.execute(
            update(Input)
            .where(Input.text == "innspel old")
            .values(created_at=utcnow() - timedelta(days=400))
        )

    async def keep_writing() -> None:
        for index in range(30):
            await submit_input(sm, _draft(f"w{index}"), sender_id="web:b", secret="s")

    env = dict(
        os.environ,
        MEDVERK_VAR_DIR=str(tmp_path),
        MEDVERK_DATABASE_URL=url,
        MEDVERK_RASA_TRACKER_DB=str(tmp_path / "rasa_tracker.db"),
        MEDVERK_RETENTION_DAYS="365",
        MEDVERK_RETENTION_MODE="delete",
        PYTHONPATH=str(PROJECT),
    )
    writer = asyncio.create_task(keep_writing())
    output = await asyncio.to_thread(_cli, env, "backup", "--to", str(tmp_path / "backups"))
    await writer
    await engine.dispose()
    [backup] = list((tmp_path / "backups").glob("medverk-*.db"))
    assert f"backup written: {backup}" in output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (count,) = copy.execute("SELECT count(*) FROM inputs").fetchone()
    assert 1 <= count <= 31  # the old row and the writes committed before the copy

    db.unlink()  # the disk is lost
    restored = await asyncio.to_thread(_cli, env, "restore", str(backup))
    assert "inputs deleted" in restored
    texts = await _texts(url)
    assert "innspel old" not in texts  # expired since: retention ran on the restored store
    assert len(texts) == count - 1
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    """Garbage is neither backed up nor restored; the live store is untouched."""
    garbage = tmp_path / "x.db"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(BackupError):
        backup_sqlite(garbage, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()
    live = tmp_path / "live.db"
    with sqlite3.connect(live) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError):
        restore_sqlite(garbage, live)
    with sqlite3.connect(live) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
