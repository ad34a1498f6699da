"""The action server's database access, built on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.settings import Settings, load_settings
from medverk.store.db import create_engine, create_sessionmaker

__all__ = ["get_sessionmaker", "get_settings", "reset"]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this action server process."""
    return load_settings()


@lru_cache(maxsize=1)
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """The process-wide session factory on the configured database."""
    return create_sessionmaker(create_engine(get_settings().database_url))


def reset() -> None:
    """Forget cached settings and engine (tests that change the environment)."""
    get_settings.cache_clear()
    get_sessionmaker.cache_clear()
