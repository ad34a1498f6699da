"""The outbox that carries officers' answers and decision notices to citizens."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.store import outbox_repo


async def test_pending_for_one_sender_and_delivery(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Messages wait per sender and channel, oldest first, until marked delivered."""
    async with sessionmaker.begin() as db:
        first = await outbox_repo.enqueue(
            db,
            sender_key="a" * 64,
            channel="web",
            kind=outbox_repo.KIND_ANSWER,
            text="Svar 1",
            input_id=1,
        )
        await outbox_repo.enqueue(
            db, sender_key="a" * 64, channel="web", kind="answer", text="Svar 2"
        )
        await outbox_repo.enqueue(
            db, sender_key="a" * 64, channel="telegram", kind="answer", text="TG"
        )
        await outbox_repo.enqueue(
            db, sender_key="b" * 64, channel="web", kind="answer", text="Andre"
        )
    async with sessionmaker.begin() as db:
        pending = await outbox_repo.pending_for(db, "a" * 64, "web")
        assert [m.text for m in pending] == ["Svar 1", "Svar 2"]
        assert pending[0].id == first.id and pending[0].input_id == 1
        assert await outbox_repo.mark_delivered(db, [pending[0].id]) == 1
        assert await outbox_repo.mark_delivered(db, [pending[0].id]) == 0
        assert await outbox_repo.mark_delivered(db, []) == 0
    async with sessionmaker() as db:
        assert [m.text for m in await outbox_repo.pending_for(db, "a" * 64, "web")] == ["Svar 2"]
        assert [m.text for m in await outbox_repo.pending(db, "telegram")] == ["TG"]


async def test_failed_pushes_stop_after_max_attempts(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A message that keeps failing is kept, with its error, but no longer offered."""
    async with sessionmaker.begin() as db:
        message = await outbox_repo.enqueue(
            db, sender_key="a" * 64, channel="telegram", kind="decision", text="Vedtak"
        )
        for _ in range(outbox_repo.MAX_ATTEMPTS):
            await outbox_repo.mark_failed(db, message.id, "chat not found")
    async with sessionmaker() as db:
        assert await outbox_repo.pending(db, "telegram") == []
        stored = await db.get(type(message), message.id)
        assert stored is not None
        assert stored.attempts == outbox_repo.MAX_ATTEMPTS and stored.last_error == "chat not found"


async def test_empty_text_is_refused(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A blank message is a programming error, not something to send."""
    async with sessionmaker.begin() as db:
        with pytest.raises(ValueError):
            await outbox_repo.enqueue(
                db, sender_key="a" * 64, channel="web", kind="answer", text=" "
            )
