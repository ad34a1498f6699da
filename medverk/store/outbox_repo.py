"""Messages waiting to reach a citizen: officers' answers and decision notices.

Writers (the officer app, the decision notifier) call `enqueue`. Deliverers
call `pending_for` (the web widget, when a sender opens it) or `pending`
(the Telegram bridge, which pushes), then `mark_delivered` or `mark_failed`.
These take an `AsyncSession` and never commit.

Channels are the names of `medverk.identity.channel_of`: `web` and `telegram`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import OutboundMessage

__all__ = [
    "KIND_ANSWER",
    "KIND_DECISION",
    "MAX_ATTEMPTS",
    "backlog_by_channel",
    "claim_next",
    "delete_created_before",
    "enqueue",
    "mark_delivered",
    "mark_failed",
    "pending",
    "pending_for",
]

KIND_ANSWER = "answer"
KIND_DECISION = "decision"
# After this many failed pushes a message stays in the table for the record
# but is no longer offered to a deliverer.
MAX_ATTEMPTS = 5


async def enqueue(
    session: AsyncSession,
    *,
    sender_key: str,
    channel: str,
    kind: str,
    text: str,
    input_id: int | None = None,
) -> OutboundMessage:
    """Add a message for one sender on one channel; returns the (flushed) row."""
    if not text.strip():
        raise ValueError("an outbound message needs text")
    message = OutboundMessage(
        sender_key=sender_key,
        channel=channel,
        kind=kind,
        text=text,
        input_id=input_id,
        created_at=utcnow(),
        attempts=0,
    )
    session.add(message)
    await session.flush()
    return message


async def pending_for(
    session: AsyncSession, sender_key: str, channel: str
) -> Sequence[OutboundMessage]:
    """Undelivered messages for one sender on one channel, oldest first."""
    query = _waiting(channel).where(OutboundMessage.sender_key == sender_key)
    return (await session.scalars(query)).all()


async def pending(
    session: AsyncSession, channel: str, limit: int = 100
) -> Sequence[OutboundMessage]:
    """Undelivered messages on one channel (any sender), oldest first."""
    return (await session.scalars(_waiting(channel).limit(limit))).all()


def _waiting(channel: str) -> Select[tuple[OutboundMessage]]:
    """Messages on a channel still to be pushed, oldest first."""
    return (
        select(OutboundMessage)
        .where(
            OutboundMessage.channel == channel,
            OutboundMessage.delivered_at.is_(None),
            OutboundMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboundMessage.created_at, OutboundMessage.id)
    )


async def claim_next(
    session: AsyncSession, channel: str, *, skip: Iterable[int] = ()
) -> OutboundMessage | None:
    """The oldest undelivered message on a channel, locked for this transaction.

    On PostgreSQL the row stays locked until the transaction ends, and other
    gateway replicas skip it (FOR UPDATE SKIP LOCKED), so two replicas never
    send the same message. SQLite has one writer and ignores the clause.
    `skip` leaves out messages already tried in this round.
    """
    query = _waiting(channel).limit(1).with_for_update(skip_locked=True)
    skipped = list(skip)
    if skipped:
        query = query.where(OutboundMessage.id.not_in(skipped))
    return (await session.scalars(query)).first()


async def mark_delivered(session: AsyncSession, message_ids: Iterable[int]) -> int:
    """Record that these messages reached the citizen; returns rows changed."""
    ids = list(message_ids)
    if not ids:
        return 0
    result = await session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(ids), OutboundMessage.delivered_at.is_(None))
        .values(delivered_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_failed(session: AsyncSession, message_id: int, error: str) -> None:
    """Count a failed delivery attempt and keep the reason (trimmed)."""
    await session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == message_id)
        .values(attempts=OutboundMessage.attempts + 1, last_error=error[:2000])
    )


async def delete_created_before(session: AsyncSession, cutoff: datetime) -> int:
    """Delete messages (delivered or not) created before `cutoff`; returns how many."""
    result = await session.execute(
        delete(OutboundMessage)
        .where(OutboundMessage.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def backlog_by_channel(session: AsyncSession) -> dict[str, int]:
    """How many messages each channel still has to deliver (channels with none left out)."""
    rows = await session.execute(
        select(OutboundMessage.channel, func.count())
        .where(OutboundMessage.delivered_at.is_(None), OutboundMessage.attempts < MAX_ATTEMPTS)
        .group_by(OutboundMessage.channel)
    )
    return {channel: int(count) for channel, count in rows}
