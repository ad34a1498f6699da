"""Declarative base with a naming convention, and the one datetime column type.

`UtcDateTime` is the only datetime column type: it stores UTC and always hands
back timezone-aware UTC datetimes, on SQLite (which keeps text and would give
naive values) and PostgreSQL alike, so no reader fixes a datetime's time zone.
Writing: an aware datetime in any zone is converted to UTC; a naive one is taken
to be UTC (`medverk.clock.as_utc`, what SQLite and every reader assumed before
this type existed), not rejected, so no caller's behaviour changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from medverk.clock import as_utc

__all__ = ["Base", "UtcDateTime", "render_item"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """`TIMESTAMP WITH TIME ZONE` that stores UTC and returns aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    """Base class of every Medverk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Alembic autogenerate hook: write `UtcDateTime` as the plain type it stores.

    Migrations then stay free of imports from the application, like 0001-0008.
    """
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False
