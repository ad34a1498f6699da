"""Server-side login sessions for the officer app.

The browser holds a random token; the table holds only its SHA-256, so a
copy of the database cannot be used to log in. Each session has its own CSRF
token. A session ends after `IDLE_TIMEOUT` without use or `MAX_AGE` in all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store import officer_repo
from medverk.store.models import Officer

__all__ = [
    "IDLE_TIMEOUT",
    "MAX_AGE",
    "ActiveSession",
    "end",
    "resume",
    "start",
    "token_hash",
]

IDLE_TIMEOUT = timedelta(minutes=60)
MAX_AGE = timedelta(hours=10)
# Writing last_seen on every request would make every page view a write.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class ActiveSession:
    """A valid session: the browser token, its officer and the CSRF token."""

    token: str
    officer: Officer
    csrf_token: str


def token_hash(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


async def start(session: AsyncSession, officer: Officer) -> ActiveSession:
    """Open a new session (a fresh token at every login, so no fixation)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await officer_repo.add_session(
        session,
        token_hash=token_hash(token),
        officer_id=officer.id,
        csrf_token=csrf,
        expires_at=utcnow() + IDLE_TIMEOUT,
    )
    return ActiveSession(token=token, officer=officer, csrf_token=csrf)


async def resume(session: AsyncSession, token: str) -> ActiveSession | None:
    """The live session for a browser token, sliding its idle expiry; else None."""
    if not token or len(token) > 200:
        return None
    key = token_hash(token)
    found = await officer_repo.get_session(session, key)
    if found is None:
        return None
    row, officer = found
    now = utcnow()
    created = row.created_at
    if row.expires_at <= now or created + MAX_AGE <= now or not officer.active:
        await officer_repo.delete_session(session, key)
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
        row.expires_at = min(now + IDLE_TIMEOUT, created + MAX_AGE)
        await session.flush()
    return ActiveSession(token=token, officer=officer, csrf_token=row.csrf_token)


async def end(session: AsyncSession, token: str) -> None:
    """Log out: delete the session."""
    await officer_repo.delete_session(session, token_hash(token))
