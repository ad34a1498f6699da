"""Server-side login sessions: start, resume, idle and absolute expiry, end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers import accounts, sessions
from medverk.store import officer_repo
from medverk.store.models import OfficerSession

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


async def _officer(sm: async_sessionmaker[AsyncSession]):  # type: ignore[no-untyped-def]
    async with sm.begin() as db:
        return await accounts.create_officer(db, username="ola", password="langt passord her")


async def test_start_and_resume(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A new session resumes with its token; a wrong token finds nothing."""
    officer = await _officer(sessionmaker)
    async with sessionmaker.begin() as db:
        active = await sessions.start(db, officer)
    async with sessionmaker.begin() as db:
        again = await sessions.resume(db, active.token)
        assert again is not None and again.officer.id == officer.id
        assert again.csrf_token == active.csrf_token
        assert await sessions.resume(db, active.token + "x") is None
        assert await sessions.resume(db, "") is None
        stored = (await db.scalars(select(OfficerSession.token_hash))).all()
    assert stored == [sessions.token_hash(active.token)]


async def test_idle_and_absolute_expiry(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A session ends after the idle timeout, and after MAX_AGE even when used."""
    officer = await _officer(sessionmaker)
    async with sessionmaker.begin() as db:
        idle = await sessions.start(db, officer)
        old = await sessions.start(db, officer)
        await db.execute(
            update(OfficerSession)
            .where(OfficerSession.token_hash == sessions.token_hash(idle.token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.execute(
            update(OfficerSession)
            .where(OfficerSession.token_hash == sessions.token_hash(old.token))
            .values(created_at=utcnow() - sessions.MAX_AGE - timedelta(seconds=1))
        )
    async with sessionmaker.begin() as db:
        assert await sessions.resume(db, idle.token) is None
        assert await sessions.resume(db, old.token) is None
        assert (await db.scalars(select(OfficerSession))).all() == []


async def test_use_slides_the_idle_expiry(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Using a session pushes its expiry forward (but never past MAX_AGE)."""
    officer = await _officer(sessionmaker)
    async with sessionmaker.begin() as db:
        active = await sessions.start(db, officer)
        soon = utcnow() + timedelta(minutes=1)
        await db.execute(
            update(OfficerSession).values(
                expires_at=soon, last_seen_at=utcnow() - timedelta(minutes=10)
            )
        )
    async with sessionmaker.begin() as db:
        assert await sessions.resume(db, active.token) is not None
        row = await db.scalar(select(OfficerSession))
        assert row is not None
        expires = row.expires_at.replace(tzinfo=None)
        assert expires > soon.replace(tzinfo=None) + timedelta(minutes=30)


async def test_end_deletes_the_session(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Logging out removes the row."""
    officer = await _officer(sessionmaker)
    async with sessionmaker.begin() as db:
        active = await sessions.start(db, officer)
        await sessions.end(db, active.token)
        assert await sessions.resume(db, active.token) is None


async def test_expired_sessions_are_swept(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The periodic sweep removes expired sessions and keeps live ones."""
    officer = await _officer(sessionmaker)
    async with sessionmaker.begin() as db:
        live = await sessions.start(db, officer)
        dead = await sessions.start(db, officer)
        await db.execute(
            update(OfficerSession)
            .where(OfficerSession.token_hash == sessions.token_hash(dead.token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    async with sessionmaker.begin() as db:
        assert await officer_repo.delete_expired_sessions(db) == 1
        left = (await db.scalars(select(OfficerSession.token_hash))).all()
    assert left == [sessions.token_hash(live.token)]
