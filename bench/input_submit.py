"""Benchmark: storing an input, asking its status and deleting a sender's data.

Fills a fresh database with N existing inputs from many senders (default
10,000), then times the real code paths the actions use: `submit_input` (one
transaction, idempotency check), a retried submit of the same draft, the
status query of one sender, and `delete_sender_data`. Reports p50/p95/max.

    .venv/app/bin/python bench/input_submit.py                 # SQLite in a temp dir
    .venv/app/bin/python bench/input_submit.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

PostgreSQL runs in a throw-away database (dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from medverk.identity import sender_key  # noqa: E402 - after the path set-up above
from medverk.inputs import InputDraft, submit_input  # noqa: E402
from medverk.store.db import create_engine, create_sessionmaker  # noqa: E402
from medverk.store.inputs_repo import delete_sender_data, inputs_of_sender  # noqa: E402
from medverk.store.migrate import upgrade_head  # noqa: E402
from medverk.store.models import Input  # noqa: E402

SECRET = "bench-secret"  # noqa: S105 - a throw-away key for generated rows


def draft(key: str) -> InputDraft:
    return InputDraft(
        idempotency_key=key,
        case_ref="2026/411",
        case_title="Gratis buss for ungdom under 20 år",
        committee="Ungdomsrådet",
        text="Bussen er for dyr for oss som bur langt ute. " * 4,
        malform="nn",
        age_group="16-17",
        consent_contact=False,
        contact=None,
    )


async def fill(sessionmaker, existing: int) -> None:  # type: ignore[no-untyped-def]
    batch = 1000
    for start in range(0, existing, batch):
        async with sessionmaker.begin() as session:
            session.add_all(
                Input(
                    idempotency_key=f"seed-{i}",
                    case_ref=f"2026/{400 + i % 40}",
                    case_title="Sak",
                    committee="Ungdomsrådet",
                    text="Eit eldre innspel.",
                    malform="nn" if i % 2 else "nb",
                    channel="web",
                    sender_key=sender_key(SECRET, f"web:seed-{i % 2000:08d}"),
                    status="new",
                )
                for i in range(start, min(start + batch, existing))
            )


async def timed(n: int, step: Callable[[int], Awaitable[object]]) -> list[float]:
    times = []
    for i in range(n):
        started = time.perf_counter()
        await step(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<28} n={len(times):<4} p50={statistics.median(times):6.1f} ms  "
        f"p95={p95:6.1f} ms  max={max(times):6.1f} ms"
    )


async def run(database_url: str, existing: int, n: int) -> None:
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    try:
        started = time.perf_counter()
        await fill(sessionmaker, existing)
        print(f"filled {existing} existing inputs in {time.perf_counter() - started:.1f} s")
        senders = [f"web:bench-{i:08d}" for i in range(n)]

        async def submit(i: int) -> object:
            return await submit_input(
                sessionmaker, draft(f"bench-{i}"), sender_id=senders[i], secret=SECRET
            )

        async def status(i: int) -> object:
            async with sessionmaker() as session:
                return await inputs_of_sender(session, sender_key(SECRET, senders[i]))

        async def delete(i: int) -> object:
            async with sessionmaker.begin() as session:
                return await delete_sender_data(session, sender_key(SECRET, senders[i]))

        report("submit (new input)", await timed(n, submit))
        report("submit retried (same key)", await timed(n, submit))
        report("status of one sender", await timed(n, status))
        report("delete one sender's data", await timed(n, delete))
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="async SQLAlchemy URL (default: temp SQLite)")
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("-n", type=int, default=200, help="operations per measurement")
    args = parser.parse_args()
    if args.database_url and args.database_url.startswith("postgresql"):
        import asyncpg

        name = "bench_" + uuid.uuid4().hex[:10]
        admin = args.database_url.replace("postgresql+asyncpg://", "postgresql://")

        async def admin_sql(sql: str) -> None:
            connection = await asyncpg.connect(admin)
            await connection.execute(sql)
            await connection.close()

        asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
        url = args.database_url.rsplit("/", 1)[0] + "/" + name
        try:
            upgrade_head(url)
            asyncio.run(run(url, args.existing, args.n))
        finally:
            asyncio.run(admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)'))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        upgrade_head(url)
        asyncio.run(run(url, args.existing, args.n))


if __name__ == "__main__":
    main()
