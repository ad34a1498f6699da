"""Channel addresses: the first address is kept, a new målform replaces the old one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.store.channels_repo import address_of, remember_address
from medverk.store.models import ChannelAddress

KEY = "c" * 64


async def test_remember_then_read_back(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A remembered chat id is the sender's address on that channel, and only there."""
    async with sessionmaker.begin() as db:
        await remember_address(db, sender_key=KEY, channel="telegram", address="4711", malform="nn")
    async with sessionmaker() as db:
        assert await address_of(db, KEY, "telegram") == "4711"
        assert await address_of(db, KEY, "web") is None
        assert await address_of(db, "d" * 64, "telegram") is None
        row = await db.get(ChannelAddress, KEY)
        assert row is not None and row.malform == "nn" and row.created_at.tzinfo is not None


async def test_second_call_updates_malform_only(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Again with a new målform: the målform changes; no målform leaves the stored one."""
    async with sessionmaker.begin() as db:
        await remember_address(db, sender_key=KEY, channel="telegram", address="4711", malform="nn")
    async with sessionmaker.begin() as db:
        await remember_address(db, sender_key=KEY, channel="telegram", address="9999", malform="nb")
    async with sessionmaker.begin() as db:
        await remember_address(db, sender_key=KEY, channel="telegram", address="9999", malform=None)
    async with sessionmaker() as db:
        row = await db.get(ChannelAddress, KEY)
        assert row is not None
        assert (row.address, row.malform) == ("4711", "nb")
