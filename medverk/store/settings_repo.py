"""Settings an admin saved in the officer app (table `admin_settings`).

Functions take an `AsyncSession` and never commit; the caller owns the
transaction. Values are stored as text; `medverk.admin_settings` parses them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import AdminSetting

__all__ = ["delete_setting", "get_setting", "list_settings", "set_setting"]


async def list_settings(session: AsyncSession) -> Sequence[AdminSetting]:
    """Every stored setting, by key."""
    return (await session.scalars(select(AdminSetting).order_by(AdminSetting.key))).all()


async def get_setting(session: AsyncSession, key: str) -> AdminSetting | None:
    """The stored value of `key`, or None when the default applies."""
    return await session.get(AdminSetting, key)


async def set_setting(session: AsyncSession, key: str, value: str, *, by: str) -> AdminSetting:
    """Store (insert or replace) the value of `key`, noting who saved it."""
    row = await session.get(AdminSetting, key)
    if row is None:
        row = AdminSetting(key=key)
        session.add(row)
    row.value = value
    row.updated_by = by[:100]
    row.updated_at = utcnow()
    await session.flush()
    return row


async def delete_setting(session: AsyncSession, key: str) -> bool:
    """Forget the stored value of `key` (the default applies again); True if one was stored."""
    result = await session.execute(delete(AdminSetting).where(AdminSetting.key == key))
    return bool(result.rowcount)  # type: ignore[attr-defined]
