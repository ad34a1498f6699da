"""The admin settings table: store, replace, list and forget values."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.store.settings_repo import delete_setting, get_setting, list_settings, set_setting


async def test_set_replace_list_and_delete(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A second save replaces the value and its author; delete brings back 'no value'."""
    async with sessionmaker.begin() as db:
        await set_setting(db, "contact_email", "a@kommune.example", by="kari")
        await set_setting(db, "retention_days", "90", by="kari")
    async with sessionmaker.begin() as db:
        await set_setting(db, "contact_email", "b@kommune.example", by="per")
    async with sessionmaker() as db:
        rows = await list_settings(db)
        assert [(r.key, r.value, r.updated_by) for r in rows] == [
            ("contact_email", "b@kommune.example", "per"),
            ("retention_days", "90", "kari"),
        ]
        assert rows[0].updated_at.tzinfo is not None
    async with sessionmaker.begin() as db:
        assert await delete_setting(db, "contact_email") is True
        assert await delete_setting(db, "contact_email") is False
    async with sessionmaker() as db:
        assert await get_setting(db, "contact_email") is None
        assert (await get_setting(db, "retention_days")) is not None


async def test_values_keep_unicode_and_newlines(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Names with æøå and multi-line values come back unchanged."""
    value = "Ungdomskontakten på Ålesund rådhus\nhttps://b.example"
    async with sessionmaker.begin() as db:
        await set_setting(db, "contact_name", value, by="kari")
    async with sessionmaker() as db:
        row = await get_setting(db, "contact_name")
        assert row is not None and row.value == value
