"""Queries for the officers' digest e-mail: who opted in, to what, and new input per case."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.store.models import Input, Officer, OfficerDigest, OfficerDigestScope

__all__ = [
    "Scopes",
    "digest_subscribers",
    "get_digest",
    "mark_sent",
    "new_input_per_case",
    "scopes_of",
    "set_digest",
    "set_scopes",
]

MAX_SCOPES = 200


@dataclass(frozen=True)
class Scopes:
    """The committees and cases a digest covers; both empty: everything."""

    committees: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()


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
            await session.execute(
                delete(OfficerDigestScope).where(OfficerDigestScope.officer_id == officer_id)
            )
            await session.delete(row)
            await session.flush()
        return
    if row is None:
        row = OfficerDigest(officer_id=officer_id)
        session.add(row)
    row.email, row.frequency, row.committee, row.malform = email, frequency, committee, malform
    await session.flush()


async def get_digest(session: AsyncSession, officer_id: int) -> OfficerDigest | None:
    """An officer's opt-in, or None."""
    return await session.get(OfficerDigest, officer_id)


async def set_scopes(
    session: AsyncSession, officer_id: int, committees: Iterable[str], cases: Iterable[str]
) -> Scopes:
    """Replace what an opted-in officer's digest covers; returns what was kept."""
    wanted = Scopes(
        committees=tuple(sorted({c for c in committees if c}))[:MAX_SCOPES],
        cases=tuple(sorted({c for c in cases if c}))[:MAX_SCOPES],
    )
    await session.execute(
        delete(OfficerDigestScope).where(OfficerDigestScope.officer_id == officer_id)
    )
    session.add_all(
        [OfficerDigestScope(officer_id=officer_id, kind="committee", value=c[:200])
         for c in wanted.committees]
        + [OfficerDigestScope(officer_id=officer_id, kind="case", value=c[:200])
           for c in wanted.cases]
    )  # fmt: skip
    await session.flush()
    return wanted


async def scopes_of(session: AsyncSession, officer_id: int) -> Scopes:
    """What an officer's digest covers (empty: everything)."""
    rows = (
        await session.execute(
            select(OfficerDigestScope.kind, OfficerDigestScope.value)
            .where(OfficerDigestScope.officer_id == officer_id)
            .order_by(OfficerDigestScope.kind, OfficerDigestScope.value)
        )
    ).all()
    return Scopes(
        committees=tuple(v for k, v in rows if k == "committee"),
        cases=tuple(v for k, v in rows if k == "case"),
    )


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
    session: AsyncSession, since: datetime, committee: str = "", scopes: Scopes | None = None
) -> list[tuple[str, str, int]]:
    """(case number, case title, count) of real input created since `since`, busiest first;
    only `committee` (the CLI's opt-in) and only what `scopes` names, when given."""
    query = (
        select(Input.case_ref, func.max(Input.case_title), func.count())
        .where(Input.created_at >= since, Input.demo.is_(False))
        .group_by(Input.case_ref)
        .order_by(func.count().desc(), Input.case_ref)
    )
    if committee:
        query = query.where(Input.committee == committee)
    if scopes is not None and (scopes.committees or scopes.cases):
        either: list[ColumnElement[bool]] = []
        if scopes.committees:
            either.append(Input.committee.in_(scopes.committees))
        if scopes.cases:
            either.append(Input.case_ref.in_(scopes.cases))
        query = query.where(or_(*either))
    return [(ref, title or "", int(n)) for ref, title, n in (await session.execute(query)).all()]


async def mark_sent(session: AsyncSession, officer_id: int, when: datetime) -> None:
    await session.execute(
        update(OfficerDigest)
        .where(OfficerDigest.officer_id == officer_id)
        .values(last_sent_at=when)
    )
