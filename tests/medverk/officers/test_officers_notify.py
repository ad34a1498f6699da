"""Decision notices: who is told, in which målform and channel, and only once."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers.notify import notify_decisions
from medverk.officers.texts import load_texts
from medverk.settings import PROJECT_ROOT
from medverk.store.models import AgendaItem, Input, OutboundMessage

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

TEXTS = load_texts(PROJECT_ROOT / "data" / "knowledge")


def _input(**fields: Any) -> Input:
    values: dict[str, Any] = {
        "idempotency_key": uuid.uuid4().hex,
        "case_ref": "26/1002",
        "case_title": "Busstilbod",
        "committee": "Kommunestyret",
        "text": "Meir buss!",
        "malform": "nn",
        "channel": "telegram",
        "wants_reply": True,
        "consent_contact": False,
        "sender_key": "a" * 64,
        "status": "new",
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    values.update(fields)
    return Input(**values)


def _agenda(case_ref: str, decision: str | None, **fields: Any) -> AgendaItem:
    values: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "case_ref": case_ref,
        "title": "Nattbuss til sentrum",
        "committee": "Kommunestyret",
        "decision": decision,
        "municipality": "Eksempelvik",
        "topics": "",
        "search_text": "",
        "for_youth": True,
        "is_sample": True,
        "updated_at": utcnow(),
    }
    values.update(fields)
    return AgendaItem(**values)


async def test_citizens_who_asked_are_told_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Only input with wants_reply on a decided case is told; a second run sends nothing."""
    async with sessionmaker.begin() as db:
        db.add_all(
            [
                _agenda(
                    "26/1002", "Kommunestyret vedtek nattbuss.", decision_date=date(2026, 11, 20)
                ),
                _agenda("26/1003", None),
                _input(sender_key="a" * 64, malform="nn"),
                _input(sender_key="a" * 64, malform="nn", text="Same person, same case"),
                _input(sender_key="b" * 64, malform="nb", channel="web"),
                _input(sender_key="c" * 64, wants_reply=False),
                _input(sender_key="d" * 64, status="hidden", hidden_reason="sjikane"),
                _input(sender_key="e" * 64, case_ref="26/1003"),
            ]
        )
    async with sessionmaker.begin() as db:
        result = await notify_decisions(db, TEXTS)
    assert (result.messages, result.cases) == (2, 1)
    async with sessionmaker() as db:
        messages = {m.sender_key: m for m in (await db.scalars(select(OutboundMessage))).all()}
    assert set(messages) == {"a" * 64, "b" * 64}
    nn, nb = messages["a" * 64], messages["b" * 64]
    assert nn.channel == "telegram" and nn.kind == "decision"
    assert "«Nattbuss til sentrum» (sak 26/1002)" in nn.text
    assert "vart avgjord 20. november 2026" in nn.text and "Takk for at du gav innspel!" in nn.text
    assert "Kommunestyret vedtek nattbuss." in nn.text
    assert nb.channel == "web" and "ble avgjort 20. november 2026" in nb.text
    async with sessionmaker.begin() as db:
        again = await notify_decisions(db, TEXTS)
    assert again.messages == 0


async def test_undated_decision_uses_the_plain_text(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Without a decision date the message does not invent one."""
    async with sessionmaker.begin() as db:
        db.add_all([_agenda("26/1002", "Vedtatt."), _input(malform="nb")])
    async with sessionmaker.begin() as db:
        await notify_decisions(db, TEXTS)
        message = await db.scalar(select(OutboundMessage))
    assert message is not None
    assert message.text.startswith(
        "Saken «Nattbuss til sentrum» (sak 26/1002), som du sa hva du mente"
    )
    assert "ble avgjort." not in message.text and "avgjort." in message.text


async def test_no_decision_yet_means_no_message(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Input on an undecided case waits; nothing is marked as told."""
    async with sessionmaker.begin() as db:
        db.add_all([_agenda("26/1002", ""), _input()])
    async with sessionmaker.begin() as db:
        result = await notify_decisions(db, TEXTS)
        waiting = await db.scalar(select(Input))
    assert result.messages == 0
    assert waiting is not None and waiting.decision_notified_at is None
