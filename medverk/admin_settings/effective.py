"""The settings in force: environment/defaults, overlaid by what an admin saved.

`load_effective(session, settings)` reads the table once. Processes that need
the values often keep an `EffectiveCache`: it re-reads the table at most every
`REFRESH_SECONDS`, and keeps the last good values (or the defaults) when the
database cannot be read, so a database hiccup never silences the assistant.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.admin_settings.fields import FIELDS, InvalidSetting, parse
from medverk.knowledge import Contact, KnowledgeError, load_contact
from medverk.settings import Malform, Settings
from medverk.store.settings_repo import list_settings

__all__ = [
    "REFRESH_SECONDS",
    "Effective",
    "EffectiveCache",
    "Source",
    "apply_overrides",
    "default_source",
    "defaults",
    "load_effective",
]

log = logging.getLogger(__name__)

# How stale another process's view of a change may be: the gateway that saved
# it sees it at once, other gateways and the action server within this time.
REFRESH_SECONDS = 30.0

Source = Literal["env", "file", "builtin"]


@dataclass(frozen=True)
class Effective:
    """The values of the admin-editable settings that are in force now."""

    contact_name: str
    contact_email: str
    contact_phone: str
    default_malform: Malform
    retention_days: int
    retention_mode: Literal["anonymise", "delete"]
    allowed_origins: tuple[str, ...]

    @property
    def contact(self) -> Contact:
        """The human contact the assistant offers."""
        return Contact(self.contact_name, self.contact_email, self.contact_phone)


def defaults(settings: Settings) -> Effective:
    """The values without any admin change: environment, then contact.yml for the contact."""
    try:
        contact = load_contact(
            settings.knowledge_dir,
            name=settings.contact_name,
            email=settings.contact_email,
            phone=settings.contact_phone,
        )
    except KnowledgeError:
        log.warning("contact.yml unreadable; the contact defaults come from the environment only")
        contact = Contact(settings.contact_name, settings.contact_email, settings.contact_phone)
    return Effective(
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        default_malform=settings.default_malform,
        retention_days=settings.retention_days,
        retention_mode=settings.retention_mode,
        allowed_origins=settings.allowed_origins,
    )


def default_source(key: str) -> Source:
    """Where the default of `key` comes from: its environment variable, contact.yml, or code."""
    spec = next(f for f in FIELDS if f.key == key)
    if os.environ.get(spec.env, "").strip():
        return "env"
    return "file" if key.startswith("contact_") else "builtin"


def _typed(key: str, text: str) -> object:
    if key == "retention_days":
        return int(text)
    if key == "allowed_origins":
        return tuple(line for line in text.split("\n") if line)
    return text


def apply_overrides(base: Effective, stored: Mapping[str, str]) -> Effective:
    """`base` with the stored values laid over it; a stored value that no longer
    passes the checks (edited by hand in the database) is ignored and logged."""
    changes: dict[str, object] = {}
    for spec in FIELDS:
        if spec.key not in stored:
            continue
        try:
            changes[spec.key] = _typed(spec.key, parse(spec.key, stored[spec.key]))
        except InvalidSetting:
            log.warning("ignoring invalid stored value of setting %s", spec.key)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


async def load_effective(session: AsyncSession, settings: Settings) -> Effective:
    """The values in force, read from the table now."""
    stored = {row.key: row.value for row in await list_settings(session)}
    return apply_overrides(defaults(settings), stored)


class EffectiveCache:
    """The values in force, re-read from the database at most every `ttl` seconds."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        ttl: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._sessionmaker = sessionmaker
        self._ttl = ttl
        self._clock = clock
        self._latest = defaults(settings)
        self._read_at: float | None = None

    @property
    def latest(self) -> Effective:
        """The values last read (the defaults before the first read); never waits."""
        return self._latest

    async def get(self) -> Effective:
        """The values in force, re-read when the last read is older than the ttl."""
        if self._read_at is None or self._clock() - self._read_at >= self._ttl:
            await self.refresh()
        return self._latest

    async def refresh(self) -> Effective:
        """Re-read the values now (after a change in this process, or on schedule)."""
        self._read_at = self._clock()
        try:
            async with self._sessionmaker() as session:
                self._latest = await load_effective(session, self._settings)
        except Exception:  # any store failure: keep serving the last values
            log.warning(
                "could not read admin settings; keeping the last known values", exc_info=True
            )
        return self._latest
