"""`medverk backup` and `medverk restore`: copies of the SQLite stores, made while running.

The backup uses SQLite's online backup API, so it is consistent even while the
gateway and action server write (no need to stop them). It copies the input
store and Rasa's conversation store, each to
`<dir>/<name>-<UTC time>.db`, readable by the owner only. For PostgreSQL the
database's own tool does the job: `pg_dump --format=custom` (see
docs/operations.md); `medverk backup` says so and copies only the SQLite parts.

`medverk restore FILE` puts a backup of the input store back (stop Medverk
first), brings it to the newest schema and applies the retention rule at once,
so input that expired since the backup was made does not come back.
Errors: `BackupError` (a `RuntimeError`) when a store is not SQLite or a file
is not a valid SQLite backup.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from medverk.clock import utcnow
from medverk.settings import Settings, load_settings

__all__ = ["BackupError", "backup_sqlite", "register", "restore_sqlite", "sqlite_path"]


class BackupError(RuntimeError):
    """A store that this command cannot back up or restore."""


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None for another database."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database:
        return None
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy the live SQLite file `source` to `target` (online backup API, owner-only)."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
            live.backup(copy)
        _check(target)
    except (sqlite3.DatabaseError, BackupError) as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"{source} could not be backed up: {exc}") from exc
    return target


def restore_sqlite(backup: Path, target: Path) -> None:
    """Write `backup` over the SQLite file `target` (Medverk must be stopped)."""
    _check(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(backup) as source, sqlite3.connect(target) as live:
        source.backup(live)
    os.chmod(target, 0o600)


def _check(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            (result,) = db.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    if result != "ok":
        raise BackupError(f"{path} failed the integrity check: {result}")


def backup_all(settings: Settings, directory: Path) -> list[Path]:
    """Back up every SQLite store of `settings` into `directory`; the files made."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    made: list[Path] = []
    store = sqlite_path(settings.database_url)
    if store is not None:
        made.append(backup_sqlite(store, directory / f"medverk-{stamp}.db"))
    if not settings.rasa_tracker_url and settings.rasa_tracker_db.exists():
        made.append(backup_sqlite(settings.rasa_tracker_db, directory / f"rasa_tracker-{stamp}.db"))
    return made


def _backup_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    directory = Path(args.to) if args.to else settings.var_dir / "backups"
    made = backup_all(settings, directory)
    for path in made:
        print(f"backup written: {path}")
    if sqlite_path(settings.database_url) is None:
        print("the input store is PostgreSQL: back it up with pg_dump (docs/operations.md)")
    return 0 if made or sqlite_path(settings.database_url) is None else 1


async def _restore_command(args: argparse.Namespace) -> int:
    from medverk.retention import run_retention_now
    from medverk.store.migrate import upgrade_head

    settings = load_settings()
    target = sqlite_path(settings.database_url)
    if target is None:
        raise BackupError("the input store is PostgreSQL: restore it with pg_restore")
    restore_sqlite(Path(args.file), target)
    await asyncio.to_thread(upgrade_head, settings.database_url)
    summary = await run_retention_now(settings)
    print(f"restored {args.file} to {target}; {summary}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `medverk backup` and `medverk restore` to the CLI."""
    backup = subparsers.add_parser("backup", help="copy the SQLite stores while running")
    backup.add_argument("--to", help="directory for the copies (default: var/backups)")
    backup.set_defaults(func=_backup_command)
    restore = subparsers.add_parser("restore", help="put a backup of the input store back")
    restore.add_argument("file", help="a medverk-<time>.db made by `medverk backup`")
    restore.set_defaults(func=_restore_command)
