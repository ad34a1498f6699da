"""The queries of the decision notifier (`medverk.officers.notify`).

Functions take an `AsyncSession` and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.store.models import AgendaItem, Input

__all__ = ["decided_agenda_items", "lock_inputs_awaiting_decision"]


async def lock_inputs_awaiting_decision(session: AsyncSession) -> Sequence[Input]:
    """Visible, not anonymised input whose sender wants the decision and has not had it.

    Oldest first, locked for this transaction (FOR UPDATE SKIP LOCKED on
    PostgreSQL), so when several gateway replicas run the job each row is
    handled by one.
    """
    result = await session.scalars(
        select(Input)
        .where(
            Input.wants_reply.is_(True),
            Input.decision_notified_at.is_(None),
            Input.anonymised_at.is_(None),
            Input.status != "hidden",
        )
        .order_by(Input.id)
        .with_for_update(skip_locked=True)
    )
    return result.all()


async def decided_agenda_items(
    session: AsyncSession, case_refs: Iterable[str]
) -> Sequence[AgendaItem]:
    """Agenda items of these cases that carry a (non-empty) decision."""
    result = await session.scalars(
        select(AgendaItem).where(
            AgendaItem.case_ref.in_(list(case_refs)),
            AgendaItem.decision.is_not(None),
            AgendaItem.decision != "",
        )
    )
    return result.all()
