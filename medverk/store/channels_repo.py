"""Where to reach a pseudonymous sender on a channel (`channel_addresses`).

The channel code (the Telegram bridge and deliverer) stores and reads chat
addresses only through these functions. Like every repository function they
take an `AsyncSession` and never commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import ChannelAddress

__all__ = ["address_of", "remember_address"]


async def remember_address(
    session: AsyncSession, *, sender_key: str, channel: str, address: str, malform: str | None
) -> None:
    """Keep `address` for the sender; a known sender only gets a new målform, if one is given.

    The first address stays: a sender key already names one chat on one channel.
    """
    row = await session.get(ChannelAddress, sender_key)
    if row is None:
        session.add(
            ChannelAddress(
                sender_key=sender_key,
                channel=channel,
                address=address,
                malform=malform,
                created_at=utcnow(),
            )
        )
    elif malform and row.malform != malform:
        row.malform = malform


async def address_of(session: AsyncSession, sender_key: str, channel: str) -> str | None:
    """The stored address of a sender on a channel, or None (never seen, or erased)."""
    address: str | None = await session.scalar(
        select(ChannelAddress.address).where(
            ChannelAddress.sender_key == sender_key, ChannelAddress.channel == channel
        )
    )
    return address
