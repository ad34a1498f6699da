"""Queries for the officers' digest e-mail: who opted in, and new input per case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.store.models import Input, Officer, OfficerDigest

__all__ = ["digest_subscribers", "mark_sent", "new_input_per_case", "set_digest"]


async def set_digest(
    session: AsyncSession,
    officer_id: int,
    *,
    email: str,
    frequency: str,
    committee: str = "",
    malform: str = "nn",
) -> None:
    """Opt an officer in (or change the opt-in); `frequency` "" opts out."""
    row = await session.get(OfficerDigest, officer_id)
    if not frequency:
        if row is not None:
            await session.delete(row)
        return
    if row is None:
        row = OfficerDigest(officer_id=officer_id)
        session.add(row)
    row.email, row.frequency, row.committee, row.malform = email, frequency, committee, malform
    await session.flush()


async def digest_subscribers(session: AsyncSession) -> Sequence[OfficerDigest]:
    """Opt-ins of active officers."""
    rows = await session.scalars(
        select(OfficerDigest)
        .join(Officer, Officer.id == OfficerDigest.officer_id)
        .where(Officer.active.is_(True))
        .order_by(OfficerDigest.officer_id)
    )
    return rows.all()


async def new_input_per_case(
    session: AsyncSession, since: datetime, committee: str = ""
) -> list[tuple[str, str, int]]:
    """(case number, case title, count) of real input created since `since`, busiest first."""
    query = (
        select(Input.case_ref, func.max(Input.case_title), func.count())
        .where(Input.created_at >= since, Input.demo.is_(False))
        .group_by(Input.case_ref)
        .order_by(func.count().desc(), Input.case_ref)
    )
    if committee:
        query = query.where(Input.committee == committee)
    return [(ref, title or "", int(n)) for ref, title, n in (await session.execute(query)).all()]


async def mark_sent(session: AsyncSession, officer_id: int, when: datetime) -> None:
    await session.execute(
        update(OfficerDigest)
        .where(OfficerDigest.officer_id == officer_id)
        .values(last_sent_at=when)
    )
