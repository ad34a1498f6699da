"""Store functions that replaced SQL in retention, metrics, health and self-service."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.store import officer_repo, outbox_repo
from medverk.store.db import ping
from medverk.store.models import OfficerSession, OutboundMessage

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


async def test_ping_answers(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A reachable database answers the health check's round trip without raising."""
    async with sessionmaker() as db:
        assert await ping(db) is None


async def test_backlog_and_delete_before(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Backlog counts undelivered, not given-up messages per channel; old ones are deleted."""
    async with sessionmaker.begin() as db:
        old = await outbox_repo.enqueue(
            db, sender_key="a" * 64, channel="web", kind="answer", text="1"
        )
        old.created_at = NOON - timedelta(days=40)
        await outbox_repo.enqueue(db, sender_key="a" * 64, channel="web", kind="answer", text="2")
        sent = await outbox_repo.enqueue(
            db, sender_key="b" * 64, channel="web", kind="answer", text="3"
        )
        tired = await outbox_repo.enqueue(
            db, sender_key="b" * 64, channel="telegram", kind="answer", text="4"
        )
        await outbox_repo.enqueue(
            db, sender_key="c" * 64, channel="telegram", kind="answer", text="5"
        )
        await outbox_repo.mark_delivered(db, [sent.id])
        tired.attempts = outbox_repo.MAX_ATTEMPTS
    async with sessionmaker() as db:
        assert await outbox_repo.backlog_by_channel(db) == {"web": 2, "telegram": 1}
    async with sessionmaker.begin() as db:
        assert await outbox_repo.delete_created_before(db, NOON - timedelta(days=30)) == 1
    async with sessionmaker() as db:
        assert await outbox_repo.backlog_by_channel(db) == {"web": 1, "telegram": 1}
        assert await db.get(OutboundMessage, old.id) is None


async def test_delete_sessions_of_can_keep_one(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """`keep_hash` spares that one session of the officer; without it, all of them end."""
    async with sessionmaker.begin() as db:
        officer = await officer_repo.add_officer(
            db, username="kari", display_name="Kari", password_hash="x", role="officer"
        )
        for name in ("keep", "drop1", "drop2"):
            await officer_repo.add_session(
                db,
                token_hash=name.ljust(64, "0"),
                officer_id=officer.id,
                csrf_token="c",
                expires_at=NOON + timedelta(hours=1),
            )
    async with sessionmaker.begin() as db:
        ended = await officer_repo.delete_sessions_of(
            db, officer.id, keep_hash="keep".ljust(64, "0")
        )
        assert ended == 2
    async with sessionmaker.begin() as db:
        assert await db.get(OfficerSession, "keep".ljust(64, "0")) is not None
        assert await officer_repo.delete_sessions_of(db, officer.id) == 1
