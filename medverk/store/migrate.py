"""Apply Alembic migrations (`alembic upgrade head`) from code, at start-up and in tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from medverk.settings import PROJECT_ROOT

__all__ = ["upgrade_head"]


def alembic_config(database_url: str) -> Config:
    """An Alembic config for the project's migrations and the given database."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    return config


def upgrade_head(database_url: str) -> None:
    """Bring the database at `database_url` to the newest schema."""
    command.upgrade(alembic_config(database_url), "head")
