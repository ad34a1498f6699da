"""Repository for citizens' input. Functions take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import ChannelAddress, Input, OutboundMessage

__all__ = [
    "ANONYMISED_SENDER_KEY",
    "SenderDeletion",
    "add_input_once",
    "anonymise_inputs_before",
    "count_inputs",
    "count_inputs_of_sender",
    "delete_inputs_before",
    "delete_sender_data",
    "find_by_idempotency_key",
    "get_input",
    "inputs_of_sender",
]

ANONYMISED_SENDER_KEY = "anonymised"


async def find_by_idempotency_key(session: AsyncSession, key: str) -> Input | None:
    """The input stored under `key`, if any."""
    result = await session.execute(select(Input).where(Input.idempotency_key == key))
    return result.scalar_one_or_none()


async def add_input_once(session: AsyncSession, new: Input) -> tuple[Input, bool]:
    """Store `new` unless an input with its idempotency key exists.

    Returns the stored input and whether it was created now. A concurrent
    submit of the same key loses the race on the unique constraint inside a
    savepoint and gets the winner's row.
    """
    existing = await find_by_idempotency_key(session, new.idempotency_key)
    if existing is not None:
        return existing, False
    try:
        async with session.begin_nested():
            session.add(new)
            await session.flush()
    except IntegrityError:
        existing = await find_by_idempotency_key(session, new.idempotency_key)
        if existing is None:
            raise
        return existing, False
    return new, True


async def inputs_of_sender(
    session: AsyncSession, sender_key: str, limit: int = 10
) -> Sequence[Input]:
    """A sender's newest inputs first."""
    result = await session.execute(
        select(Input)
        .where(Input.sender_key == sender_key)
        .order_by(Input.created_at.desc(), Input.id.desc())
        .limit(limit)
    )
    return result.scalars().all()


async def count_inputs_of_sender(session: AsyncSession, sender_key: str) -> int:
    """How many inputs a sender has stored."""
    result = await session.execute(
        select(func.count()).select_from(Input).where(Input.sender_key == sender_key)
    )
    return int(result.scalar_one())


@dataclass(frozen=True)
class SenderDeletion:
    """How many inputs, messages and channel addresses were deleted for a sender."""

    inputs: int
    messages: int
    addresses: int


async def delete_sender_data(session: AsyncSession, sender_key: str) -> SenderDeletion:
    """Delete every input, message and channel address stored for a sender."""
    inputs = await session.execute(delete(Input).where(Input.sender_key == sender_key))
    messages = await session.execute(
        delete(OutboundMessage).where(OutboundMessage.sender_key == sender_key)
    )
    addresses = await session.execute(
        delete(ChannelAddress).where(ChannelAddress.sender_key == sender_key)
    )
    return SenderDeletion(
        int(inputs.rowcount or 0),  # type: ignore[attr-defined]
        int(messages.rowcount or 0),  # type: ignore[attr-defined]
        int(addresses.rowcount or 0),  # type: ignore[attr-defined]
    )


async def anonymise_inputs_before(session: AsyncSession, cutoff: datetime) -> int:
    """Cut the link to the sender of inputs created before `cutoff`; keep the text.

    The sender key, age group and contact go; case, text, målform, channel,
    status and the officer's answer stay for the case record.
    """
    result = await session.execute(
        update(Input)
        .where(Input.created_at < cutoff, Input.anonymised_at.is_(None))
        .values(
            sender_key=ANONYMISED_SENDER_KEY,
            contact=None,
            consent_contact=False,
            wants_reply=False,
            age_group=None,
            anonymised_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_inputs_before(session: AsyncSession, cutoff: datetime) -> int:
    """Delete inputs created before `cutoff`."""
    result = await session.execute(
        delete(Input).where(Input.created_at < cutoff).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def count_inputs(session: AsyncSession) -> int:
    """How many inputs are stored (any status, demo ones included)."""
    return int(await session.scalar(select(func.count()).select_from(Input)) or 0)


async def get_input(session: AsyncSession, input_id: int) -> Input | None:
    """The input with this id, or None."""
    return await session.get(Input, input_id)
