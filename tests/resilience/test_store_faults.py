"""The store fails during a submit: the person is told, and the input is stored exactly once.

End to end on the session's stack (PostgreSQL behind a proxy that cuts it),
and at the submit function for SQLite opened read-only. The locked SQLite file
and PostgreSQL dying inside the commit are in tests/medverk/inputs/test_submit.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
from fault_proxy import FaultProxy
from sqlalchemy import func, select
from stack_chat import Chat, health, stored_inputs, wait_for_cases, wait_healthy

from medverk.inputs import InputDraft, StoreUnavailable, submit_input
from medverk.runner import Stack
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.migrate import upgrade_head
from medverk.store.models import Input

pytestmark = pytest.mark.stack

STORE_FAILED_NN = "Orsak, eg fekk ikkje lagra innspelet ditt akkurat no."


async def _to_summary(chat: Chat, text: str) -> None:
    assert "Kva vil du seie" in await chat.text("eg vil gi innspel på sak 26/411")
    assert "Kor gammal er du?" in await chat.text(text)
    assert "Vil du ha svar" in await chat.text("eg er 16")
    assert "Skal eg sende dette til kommunen?" in await chat.text("nei takk")


async def test_postgres_cut_at_submit_tells_the_person_and_the_retry_stores_once(
    stack: Stack, db_proxy: FaultProxy
) -> None:
    """PostgreSQL cut at 'ja': told plainly, nothing stored; back, 'prøv igjen' stores once."""
    settings = stack.settings()
    await wait_for_cases(settings)
    sender = "resil-pgcut-0001"
    text = "Gratis buss er viktig for oss som bur på bygda og vil vere med på fritidsaktivitetar"
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, sender)
        await _to_summary(chat, text)
        db_proxy.cut()
        try:
            status, body = await health(stack.gateway_url)
            assert status == 503 and body["parts"]["database"]["status"] == "down"
            reply = await chat.text("ja")
            assert reply.startswith(STORE_FAILED_NN)
        finally:
            db_proxy.restore()
        assert await stored_inputs(settings, f"web:{sender}") == []
        await wait_healthy(stack.gateway_url, timeout=30)
        assert "har lagra innspelet" in await chat.text("prøv igjen")
        assert "har lagra innspelet" not in await chat.text("prøv igjen")  # nothing left to send
    [row] = await stored_inputs(settings, f"web:{sender}")
    assert row.text == text


async def test_postgres_cut_while_chatting_keeps_the_chat_going(
    stack: Stack, db_proxy: FaultProxy
) -> None:
    """With the database away, questions that need no store still get answers (no 5xx)."""
    async with aiohttp.ClientSession() as session:
        chat = Chat(session, stack.gateway_url, "resil-pgcut-0002")
        db_proxy.cut()
        try:
            assert await chat.text("kva er ungdomsrådet?")
            async with session.post(
                f"{stack.gateway_url}/api/chat/pending", json={"sender": chat.sender}
            ) as response:
                assert response.status == 200 and (await response.json()) == {"messages": []}
        finally:
            db_proxy.restore()


def _draft() -> InputDraft:
    return InputDraft(
        idempotency_key="read-only-1",
        case_ref="2026/411",
        case_title="Gratis buss for ungdom under 20 år",
        committee="Ungdomsrådet",
        text="Bussen er for dyr",
        malform="nb",
        age_group="16-17",
        consent_contact=False,
        contact=None,
    )


async def test_read_only_sqlite_fails_cleanly_then_stores_once(tmp_path: Path) -> None:
    """SQLite opened read-only: StoreUnavailable, nothing stored; writable again: stored once."""
    path = tmp_path / "ro.db"
    await asyncio.to_thread(upgrade_head, f"sqlite+aiosqlite:///{path}")
    read_only = create_engine(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    writable = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        with pytest.raises(StoreUnavailable):
            await submit_input(
                create_sessionmaker(read_only), _draft(), sender_id="web:x", secret="s", timeout=3
            )
        sm = create_sessionmaker(writable)
        for _ in range(2):
            await submit_input(sm, _draft(), sender_id="web:x", secret="s")
        async with sm() as session:
            assert await session.scalar(select(func.count()).select_from(Input)) == 1
    finally:
        await read_only.dispose()
        await writable.dispose()
