"""The queries behind a case's report page (`medverk.officers.report`).

Functions take an `AsyncSession` and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from medverk.store.models import AgendaItem, Input

__all__ = ["latest_decision", "newest_agenda_item", "visible_input_rows"]


async def visible_input_rows(
    session: AsyncSession, case_ref: str, columns: Sequence[InstrumentedAttribute[Any]]
) -> Sequence[Row[Any]]:
    """The given columns of a case's input that is not hidden, oldest first."""
    result = await session.execute(
        select(*columns)
        .where(Input.case_ref == case_ref, Input.status != "hidden")
        .order_by(Input.created_at, Input.id)
    )
    return result.all()


async def newest_agenda_item(session: AsyncSession, case_ref: str) -> AgendaItem | None:
    """The case's agenda item with the latest meeting, or None when the case is unknown."""
    result = await session.scalars(
        select(AgendaItem)
        .where(AgendaItem.case_ref == case_ref)
        .order_by(AgendaItem.meeting_date.desc())
    )
    return result.first()


async def latest_decision(session: AsyncSession, case_ref: str) -> str | None:
    """The text of the case's most recent decision, or None when there is none yet."""
    return await session.scalar(
        select(AgendaItem.decision)
        .where(AgendaItem.case_ref == case_ref, AgendaItem.decision.is_not(None))
        .order_by(AgendaItem.decision_date.desc())
        .limit(1)
    )
