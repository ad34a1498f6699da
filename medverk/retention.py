"""Keeps citizens' input no longer than the municipality decided.

Input older than `MEDVERK_RETENTION_DAYS` is either anonymised (default: the
link to the sender, the contact and the age group go; the text stays with the
case for the record) or deleted (`MEDVERK_RETENTION_MODE=delete`). An admin can
change both in the officer app's settings page; that value wins. Delivered and
undelivered messages to citizens older than the limit, and Rasa conversation
events older than the limit, are deleted in both modes.

Run it by hand with `medverk retention run`; the gateway runs it daily
(`bot/retention_job.py`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.admin_settings import load_effective
from medverk.clock import utcnow
from medverk.settings import Settings, load_settings
from medverk.store import outbox_repo
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.inputs_repo import anonymise_inputs_before, delete_inputs_before
from medverk.store.tracker_erase import erase_tracker_events_before, tracker_database_url

__all__ = [
    "RetentionResult",
    "register",
    "run_conversation_retention",
    "run_retention",
    "run_retention_now",
]

Mode = Literal["anonymise", "delete"]


@dataclass(frozen=True)
class RetentionResult:
    """What one retention run did."""

    mode: Mode
    cutoff: datetime
    inputs: int
    messages: int


async def run_retention(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    days: int,
    mode: Mode,
    now: datetime | None = None,
) -> RetentionResult:
    """Anonymise or delete input created more than `days` days ago, in one transaction."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    cutoff = (now or utcnow()) - timedelta(days=days)
    async with sessionmaker.begin() as session:
        if mode == "delete":
            inputs = await delete_inputs_before(session, cutoff)
        else:
            inputs = await anonymise_inputs_before(session, cutoff)
        messages = await outbox_repo.delete_created_before(session, cutoff)
    return RetentionResult(mode, cutoff, inputs, messages)


async def run_conversation_retention(settings: Settings, *, days: int) -> int:
    """Delete Rasa conversation events older than `days` days; returns how many."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    if not settings.rasa_tracker_url and not settings.rasa_tracker_db.exists():
        return 0
    cutoff = utcnow() - timedelta(days=days)
    return await erase_tracker_events_before(tracker_database_url(settings), cutoff)


async def run_retention_now(
    settings: Settings, *, days: int | None = None, mode: Mode | None = None
) -> str:
    """Apply the rule in force (or `days`/`mode`) to input and conversations; a summary."""
    engine = create_engine(settings.database_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session:
            rule = await load_effective(session, settings)
        days = days or rule.retention_days
        mode = mode or rule.retention_mode
        result = await run_retention(sessionmaker, days=days, mode=mode)
    finally:
        await engine.dispose()
    events = await run_conversation_retention(settings, days=days)
    verb = "deleted" if mode == "delete" else "anonymised"
    return (
        f"retention ({days} days, before {result.cutoff:%Y-%m-%d %H:%M} UTC): "
        f"{result.inputs} inputs {verb}, {result.messages} old messages and "
        f"{events} conversation events deleted"
    )


async def _run_command(args: argparse.Namespace) -> int:
    print(await run_retention_now(load_settings(), days=args.days, mode=args.mode))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `medverk retention run` to the CLI."""
    retention = subparsers.add_parser("retention", help="anonymise or delete old input")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    run = retention_sub.add_parser("run", help="apply the retention rule now")
    run.add_argument("--days", type=int, help="override the days in force")
    run.add_argument("--mode", choices=("anonymise", "delete"), help="override the mode in force")
    run.set_defaults(func=_run_command)
