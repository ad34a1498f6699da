"""`UtcDateTime`: aware UTC in, aware UTC out, on SQLite and PostgreSQL; naive means UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import as_utc
from medverk.store.base import UtcDateTime, render_item
from medverk.store.models import AdminSetting

OSLO = ZoneInfo("Europe/Oslo")


async def _stored(sessionmaker: async_sessionmaker[AsyncSession], when: datetime) -> datetime:
    async with sessionmaker.begin() as db:
        db.add(AdminSetting(key="contact_email", value="a@b.example", updated_at=when))
    async with sessionmaker() as db:
        row = await db.get(AdminSetting, "contact_email")
        assert row is not None
        return row.updated_at


async def test_aware_utc_comes_back_aware_and_equal(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A UTC instant is read back as the same aware UTC instant."""
    when = datetime(2026, 12, 2, 16, 30, 5, 123456, tzinfo=timezone.utc)
    back = await _stored(sessionmaker, when)
    assert back == when
    assert back.utcoffset() == timedelta(0)


async def test_other_zone_is_stored_as_the_same_instant_in_utc(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """18.00 in Oslo (winter) is written and read back as 17.00 UTC."""
    back = await _stored(sessionmaker, datetime(2026, 12, 17, 18, 0, tzinfo=OSLO))
    assert back == datetime(2026, 12, 17, 17, 0, tzinfo=timezone.utc)
    assert (back.tzinfo, back.hour) == (timezone.utc, 17)


async def test_naive_is_taken_as_utc(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The documented choice: a naive datetime is UTC, not local time, and not an error."""
    back = await _stored(sessionmaker, datetime(2026, 6, 1, 12, 0))
    assert back == datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert back.tzinfo is timezone.utc


async def test_comparisons_in_sql_use_utc(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A bound Oslo-time value compares as its UTC instant (SQLite compares the text)."""
    await _stored(sessionmaker, datetime(2026, 12, 17, 17, 0, tzinfo=timezone.utc))
    async with sessionmaker() as db:
        later = select(AdminSetting.key).where(
            AdminSetting.updated_at > datetime(2026, 12, 17, 17, 30, tzinfo=OSLO)
        )
        earlier = select(AdminSetting.key).where(
            AdminSetting.updated_at > datetime(2026, 12, 17, 18, 30, tzinfo=OSLO)
        )
        assert list(await db.scalars(later)) == ["contact_email"]
        assert list(await db.scalars(earlier)) == []


def test_none_stays_none() -> None:
    """Nullable columns keep NULL as None in both directions."""
    column_type = UtcDateTime()
    assert column_type.process_bind_param(None, None) is None  # type: ignore[arg-type]
    assert column_type.process_result_value(None, None) is None  # type: ignore[arg-type]


def test_as_utc_is_the_one_rule() -> None:
    """The clock's `as_utc`: naive means UTC; aware is converted, not relabelled."""
    assert as_utc(datetime(2026, 1, 1, 9, 0)) == datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
    moved = as_utc(datetime(2026, 7, 1, 9, 0, tzinfo=OSLO))
    assert (moved.hour, moved.tzinfo) == (7, timezone.utc)


def test_impl_is_the_migrated_column_type() -> None:
    """The type the migrations create (TIMESTAMP WITH TIME ZONE) is what the models declare."""
    impl = UtcDateTime().impl_instance
    assert type(impl).__name__ == "DateTime"
    assert impl.timezone is True


def test_autogenerate_writes_the_plain_type() -> None:
    """A future migration gets `sa.DateTime(timezone=True)`, not an import of the app."""
    assert render_item("type", UtcDateTime(), None) == "sa.DateTime(timezone=True)"
    assert render_item("type", DateTime(timezone=True), None) is False
    assert render_item("column", UtcDateTime(), None) is False
