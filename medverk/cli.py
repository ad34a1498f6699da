"""The `medverk` command line: `medverk db upgrade`, `medverk cases sync`, ...

Each area adds its subcommands in its own module with a
`register(subparsers)` function that sets `func` (sync or async) on its
parsers; list that module in `COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
from collections.abc import Sequence

from medverk.settings import load_settings
from medverk.store.migrate import upgrade_head

__all__ = ["main"]

COMMAND_MODULES: list[str] = [
    "medverk.retention",
    "medverk.officers.cli",
    "medverk.cases.cli",
    "medverk.backup",
]


def _db_upgrade(_args: argparse.Namespace) -> int:
    upgrade_head(load_settings().database_url)
    print("database is at the newest schema")
    return 0


def _register_db(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = subparsers.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations (alembic upgrade head)")
    upgrade.set_defaults(func=_db_upgrade)


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every area's subcommands."""
    parser = argparse.ArgumentParser(prog="medverk", description="Medverk administration")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _register_db(subparsers)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its return value is the exit code."""
    args = build_parser().parse_args(argv)
    result = args.func(args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
