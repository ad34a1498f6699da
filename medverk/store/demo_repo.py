"""Queries for the demo-data guard."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.store.models import Input

__all__ = ["count_real_inputs"]


async def count_real_inputs(session: AsyncSession) -> int:
    """How many inputs were not made by `demo-inputs`."""
    return int(await session.scalar(select(func.count()).where(Input.demo.is_(False))) or 0)
