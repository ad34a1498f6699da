"""Declarative base with a naming convention, shared by every model module."""

from __future__ import annotations

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase

__all__ = ["Base", "UtcDateTime"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Timezone-aware on PostgreSQL; SQLite stores it as text and returns naive values,
# so readers must treat naive datetimes from the store as UTC.
UtcDateTime = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Base class of every Medverk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
