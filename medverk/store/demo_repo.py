"""Queries for the demo data: the guard, the cases to use, the bulk insert.

Functions take an `AsyncSession` and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.store.models import AgendaItem, Input

__all__ = ["count_real_inputs", "insert_inputs", "stored_cases"]


async def count_real_inputs(session: AsyncSession) -> int:
    """How many inputs were not made by `demo-inputs`."""
    return int(await session.scalar(select(func.count()).where(Input.demo.is_(False))) or 0)


async def stored_cases(session: AsyncSession, limit: int = 50) -> list[tuple[str, str, str]]:
    """Up to `limit` stored agenda items as (case ref, title, committee)."""
    rows = (
        await session.execute(
            select(AgendaItem.case_ref, AgendaItem.title, AgendaItem.committee).limit(limit)
        )
    ).all()
    return [(ref, title, committee) for ref, title, committee in rows]


async def insert_inputs(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert input rows (column name to value) in one bulk statement."""
    await session.execute(insert(Input), list(rows))
