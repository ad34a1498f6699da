"""The action server's database access and settings, built on first use (never at
import time).

The admin-editable settings (contact, målform, retention: `medverk.admin_settings`)
come from `get_effective()`, re-read from the database at most every 30 seconds,
so a change in the officer app reaches the assistant without a restart."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.admin_settings import Effective, EffectiveCache
from medverk.settings import Settings, load_settings
from medverk.store.db import create_engine, create_sessionmaker

__all__ = [
    "close",
    "get_effective",
    "get_sessionmaker",
    "get_settings",
    "latest_effective",
    "reset",
]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this action server process."""
    return load_settings()


@lru_cache(maxsize=1)
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """The process-wide session factory on the configured database."""
    return create_sessionmaker(create_engine(get_settings().database_url))


@lru_cache(maxsize=1)
def _effective_cache() -> EffectiveCache:
    return EffectiveCache(get_settings(), get_sessionmaker())


async def get_effective() -> Effective:
    """The admin-editable settings in force (at most 30 seconds old)."""
    return await _effective_cache().get()


def latest_effective() -> Effective:
    """The settings as last read, without waiting (for synchronous fallbacks)."""
    return _effective_cache().latest


async def close() -> None:
    """Dispose of the engine, if one was built, and forget everything cached."""
    if get_sessionmaker.cache_info().currsize:
        await get_sessionmaker().kw["bind"].dispose()
    reset()


def reset() -> None:
    """Forget cached settings and engine (tests that change the environment)."""
    get_settings.cache_clear()
    get_sessionmaker.cache_clear()
    _effective_cache.cache_clear()
