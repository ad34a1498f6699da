"""The inputs repository on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.store.inputs_repo import (
    ANONYMISED_SENDER_KEY,
    add_input_once,
    anonymise_inputs_before,
    count_inputs_of_sender,
    delete_inputs_before,
    delete_sender_data,
    inputs_of_sender,
)
from medverk.store.models import ChannelAddress, Input, OutboundMessage
from tests.medverk.store.search_support import findable_ids

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


def make_input(key: str, sender: str = "s" * 64, **overrides: object) -> Input:
    values: dict[str, object] = {
        "idempotency_key": key,
        "case_ref": "26/1187",
        "case_title": "Nytt kulturhus",
        "committee": "Ungdomsrådet",
        "text": "Meir plass til band.",
        "malform": "nn",
        "channel": "web",
        "age_group": "13-15",
        "consent_contact": False,
        "contact": None,
        "sender_key": sender,
        "status": "new",
    }
    values.update(overrides)
    return Input(**values)


async def count_rows(sm: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sm() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_same_idempotency_key_is_stored_once(sessionmaker) -> None:
    """A second add with the same key returns the first row and stores nothing."""
    async with sessionmaker.begin() as session:
        first, created = await add_input_once(session, make_input("k1"))
    assert created
    async with sessionmaker.begin() as session:
        again, created_again = await add_input_once(session, make_input("k1", text="annan"))
    assert not created_again
    assert again.id == first.id
    assert again.text == "Meir plass til band."
    assert await count_rows(sessionmaker, Input) == 1


async def test_concurrent_submits_of_one_key_store_one_row(sessionmaker) -> None:
    """Two transactions racing on one key end with exactly one row and one id."""

    async def submit() -> int:
        async with sessionmaker.begin() as session:
            row, _ = await add_input_once(session, make_input("race"))
            return row.id

    ids = await asyncio.gather(*(submit() for _ in range(4)), return_exceptions=True)
    stored_ids = {i for i in ids if isinstance(i, int)}
    assert await count_rows(sessionmaker, Input) == 1
    assert len(stored_ids) == 1


async def test_inputs_of_sender_newest_first_and_only_theirs(sessionmaker) -> None:
    """A sender sees their own inputs, newest first, never someone else's."""
    now = utcnow()
    async with sessionmaker.begin() as session:
        session.add(make_input("a", created_at=now - timedelta(days=2)))
        session.add(make_input("b", created_at=now - timedelta(days=1)))
        session.add(make_input("c", sender="o" * 64))
    async with sessionmaker() as session:
        mine = await inputs_of_sender(session, "s" * 64)
        assert [row.idempotency_key for row in mine] == ["b", "a"]
        assert await count_inputs_of_sender(session, "s" * 64) == 2


async def test_delete_sender_data_removes_inputs_messages_and_address(sessionmaker) -> None:
    """Deletion removes everything keyed by the sender and nothing of others."""
    me, other = "s" * 64, "o" * 64
    async with sessionmaker.begin() as session:
        session.add_all([make_input("a"), make_input("b"), make_input("c", sender=other)])
        session.add(OutboundMessage(sender_key=me, channel="telegram", kind="answer", text="Svar"))
        session.add(ChannelAddress(sender_key=me, channel="telegram", address="12345"))
        session.add(ChannelAddress(sender_key=other, channel="telegram", address="999"))
    async with sessionmaker.begin() as session:
        deleted = await delete_sender_data(session, me)
    assert (deleted.inputs, deleted.messages, deleted.addresses) == (2, 1, 1)
    async with sessionmaker() as session:
        keys = (await session.execute(select(Input.sender_key))).scalars().all()
        addresses = (await session.execute(select(ChannelAddress.address))).scalars().all()
    assert keys == [other]
    assert addresses == ["999"]


async def test_deleted_sender_input_is_gone_from_search(sessionmaker) -> None:
    """A citizen's "delete my data" takes their text out of the officers' search index."""
    me, other = "s" * 64, "o" * 64
    async with sessionmaker.begin() as session:
        mine = make_input("a", text="Hemmeleg ønske om ein ny ballbinge")
        theirs = make_input("b", sender=other, text="Ein ny ballbinge, takk")
        session.add_all([mine, theirs])
    assert await findable_ids(sessionmaker, "hemmeleg ønske") == {mine.id}
    async with sessionmaker.begin() as session:
        await delete_sender_data(session, me)
    assert await findable_ids(sessionmaker, "hemmeleg ønske") == set()
    assert await findable_ids(sessionmaker, "ballbinge") == {theirs.id}


async def test_anonymise_cuts_link_and_contact_but_keeps_text(sessionmaker) -> None:
    """Old input loses sender key, contact and age; its text and case stay."""
    now = utcnow()
    async with sessionmaker.begin() as session:
        session.add(
            make_input(
                "old",
                created_at=now - timedelta(days=400),
                consent_contact=True,
                contact="kari@example.no",
            )
        )
        session.add(make_input("new", created_at=now - timedelta(days=3)))
    async with sessionmaker.begin() as session:
        assert await anonymise_inputs_before(session, now - timedelta(days=365)) == 1
    async with sessionmaker.begin() as session:
        assert await anonymise_inputs_before(session, now - timedelta(days=365)) == 0
    async with sessionmaker() as session:
        rows = {r.idempotency_key: r for r in (await session.execute(select(Input))).scalars()}
    old = rows["old"]
    assert old.sender_key == ANONYMISED_SENDER_KEY
    assert old.contact is None and not old.consent_contact and old.age_group is None
    assert old.anonymised_at is not None
    assert old.text == "Meir plass til band." and old.case_ref == "26/1187"
    assert rows["new"].sender_key == "s" * 64


async def test_delete_before_cutoff_keeps_newer(sessionmaker) -> None:
    """Only rows older than the cutoff are deleted."""
    now = utcnow()
    async with sessionmaker.begin() as session:
        session.add(make_input("old", created_at=now - timedelta(days=40)))
        session.add(make_input("new", created_at=now - timedelta(days=1)))
    async with sessionmaker.begin() as session:
        assert await delete_inputs_before(session, now - timedelta(days=30)) == 1
    assert await count_rows(sessionmaker, Input) == 1
