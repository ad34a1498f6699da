"""`medverk cases sync` (copy the case source into the store) and `medverk cases status`."""

from __future__ import annotations

import argparse
import asyncio

import aiohttp

from medverk.cases.keywords import load_keywords
from medverk.cases.sync import build_source, sync_cases
from medverk.cases.translate import case_translator
from medverk.settings import load_settings
from medverk.store import cases_repo
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.migrate import upgrade_head

__all__ = ["register"]


async def _sync(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.source:
        from dataclasses import replace

        settings = replace(settings, case_source=args.source)
    # Alembic runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(upgrade_head, settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with aiohttp.ClientSession() as http:
            result = await sync_cases(
                create_sessionmaker(engine),
                build_source(settings, http),
                keywords=load_keywords(settings.cases_dir),
                translator=case_translator(settings.cases_dir),
                source_malform=settings.case_malform,
            )
    finally:
        await engine.dispose()
    if not result.ok:
        print(f"case sync from {result.source} failed: {result.error}")
        print("the stored cases are unchanged")
        return 1
    print(
        f"synced {result.items} agenda items in {result.meetings} meetings "
        f"from {result.source} in {result.seconds:.2f}s"
    )
    print(
        f"translations into the other målform: {result.translated} new, "
        f"{result.translations_reused} unchanged, {result.translations_failed} failed"
    )
    return 0


async def _status(_args: argparse.Namespace) -> int:
    settings = load_settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            state = await cases_repo.sync_state(session)
    finally:
        await engine.dispose()
    print(f"agenda items stored: {state.item_count}")
    for label, run in (("last run", state.last_run), ("last success", state.last_success)):
        if run is None:
            print(f"{label}: never")
        else:
            outcome = "ok" if run.ok else f"failed: {run.error}"
            print(f"{label}: {run.finished_at} from {run.source}, {outcome}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `cases sync` and `cases status`."""
    cases = subparsers.add_parser("cases", help="case data (meetings and agenda items)")
    cases_sub = cases.add_subparsers(dest="cases_command", required=True)
    sync = cases_sub.add_parser("sync", help="copy the case source into the store now")
    sync.add_argument(
        "--source",
        choices=["file", "einnsyn"],
        default=None,
        help="override MEDVERK_CASE_SOURCE for this run",
    )
    sync.set_defaults(func=_sync)
    status = cases_sub.add_parser("status", help="how fresh the stored case data is")
    status.set_defaults(func=_status)
