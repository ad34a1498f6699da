"""The `cluster` target of `bench/load.py`: `make run-cluster`'s layout, started for the run.

Two Rasa engines behind HAProxy (sender-hash routing), a Redis lock store, Rasa's SQL
tracker store and the gateway's store on PostgreSQL, two action servers
(medverk.cluster). Each run gets fresh databases with a random name and a fresh Redis
key prefix; both databases are dropped afterwards. Settings (environment):
MEDVERK_BENCH_POSTGRES (server, default postgresql://postgres@127.0.0.1:5432) and
MEDVERK_BENCH_REDIS (host:port, default 127.0.0.1:6379).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from medverk.cluster import Cluster, running_cluster

__all__ = ["bench_cluster", "stored_inputs_postgres"]

POSTGRES = os.environ.get("MEDVERK_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("MEDVERK_BENCH_REDIS", "127.0.0.1:6379")


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{POSTGRES}/postgres", timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def bench_cluster(model: Path, env: dict[str, str]) -> Iterator[Cluster]:
    """A running cluster on free loopback ports; its databases dropped on exit."""
    name = "medverk_bench_" + uuid.uuid4().hex[:10]
    try:
        with running_cluster(f"{POSTGRES}/{name}", REDIS, model, env) as cluster:
            yield cluster
    finally:
        for db in (name, f"{name}_rasa"):
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


def stored_inputs_postgres(database_url: str) -> int:
    """Rows in the store's inputs table on PostgreSQL."""
    import asyncpg

    async def count() -> int:
        url = database_url.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(url, timeout=10)
        try:
            return int(await conn.fetchval("SELECT count(*) FROM inputs"))
        finally:
            await conn.close()

    return asyncio.run(count())
