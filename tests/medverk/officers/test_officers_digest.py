"""Digest e-mail: delivered to a local SMTP server (aiosmtpd), counts only, once per period."""

from __future__ import annotations

import email
import email.policy
import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers.digest import SmtpSettings, send_due_digests
from medverk.officers.texts import load_texts
from medverk.settings import PROJECT_ROOT
from medverk.store.digest_repo import set_digest
from medverk.store.models import Input, Officer

pytestmark = pytest.mark.calendar

TEXTS = load_texts(PROJECT_ROOT / "data" / "knowledge")


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, SmtpSettings]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=port, sender="medverk@kommune.test")
    finally:
        controller.stop()


def _input(**fields: Any) -> Input:
    values: dict[str, Any] = {
        "idempotency_key": uuid.uuid4().hex,
        "case_ref": "26/1002",
        "case_title": "Busstilbod",
        "committee": "Kommunestyret",
        "text": "Meir buss! Ring meg på 912 34 567, Kari Nordmann",
        "contact": "kari@example.no",
        "malform": "nn",
        "channel": "telegram",
        "consent_contact": True,
        "sender_key": "a" * 64,
        "status": "new",
    }
    values.update(fields)
    return Input(**values)


async def test_digest_per_committee_counts_only_once_per_period(
    sessionmaker: async_sessionmaker[AsyncSession],
    smtp_server: tuple[_Inbox, SmtpSettings],
) -> None:
    inbox, smtp = smtp_server
    async with sessionmaker.begin() as db:
        kari = Officer(username="kari", password_hash="x")
        ola = Officer(username="ola", password_hash="x")
        db.add_all([kari, ola])
        await db.flush()
        db.add_all([_input() for _ in range(3)])
        db.add(_input(case_ref="26/2000", case_title="Skatepark", committee="Ungdomsrådet"))
        db.add(_input(demo=True))  # demo input is not counted
        db.add(_input(created_at=utcnow() - timedelta(days=3)))  # too old for a daily
        await set_digest(db, kari.id, email="kari@kommune.test", frequency="daily")
        await set_digest(
            db, ola.id, email="ola@kommune.test", frequency="weekly",
            committee="Ungdomsrådet", malform="nb",
        )
    async with sessionmaker.begin() as db:
        result = await send_due_digests(db, TEXTS, smtp, public_url="https://medverk.test")
    assert (result.sent, result.skipped) == (2, 0)
    by_to = {m["To"]: m for m in inbox.messages}
    kari_mail = by_to["kari@kommune.test"]
    body = _body(kari_mail)
    assert kari_mail["Subject"] == "Medverk: 4 nye innspel sidan i går"
    assert "26/1002 Busstilbod: 3 nye" in body
    assert "26/2000 Skatepark: 1 nye" in body
    assert "https://medverk.test/officer/inputs?status=new" in body
    for private in ("Meir buss", "912 34 567", "Kari Nordmann", "kari@example.no"):
        assert private not in body
    ola_body = _body(by_to["ola@kommune.test"])
    assert by_to["ola@kommune.test"]["Subject"] == "Medverk: 1 nye innspill siden forrige uke"
    assert "Utvalg: Ungdomsrådet" in ola_body and "26/1002" not in ola_body

    # Run again at once: nothing is due, nothing is sent twice.
    async with sessionmaker.begin() as db:
        again = await send_due_digests(db, TEXTS, smtp, public_url="https://medverk.test")
    assert (again.sent, again.skipped) == (0, 2)
    assert len(inbox.messages) == 2

    # A day later, only the daily one is due, and only when something new came.
    async with sessionmaker.begin() as db:
        db.add(_input(created_at=utcnow() + timedelta(hours=1)))
    async with sessionmaker.begin() as db:
        later = await send_due_digests(
            db, TEXTS, smtp, public_url="https://medverk.test", now=utcnow() + timedelta(days=1)
        )
    assert (later.sent, later.skipped) == (1, 1)
    assert inbox.messages[-1]["Subject"] == "Medverk: 1 nye innspel sidan i går"


def test_smtp_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDVERK_SMTP_HOST", raising=False)
    assert SmtpSettings.from_env() is None
    monkeypatch.setenv("MEDVERK_SMTP_HOST", "smtp.kommune.test")
    monkeypatch.setenv("MEDVERK_SMTP_PORT", "587")
    monkeypatch.setenv("MEDVERK_SMTP_STARTTLS", "1")
    monkeypatch.setenv("MEDVERK_SMTP_FROM", "medverk@kommune.test")
    smtp = SmtpSettings.from_env()
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.starttls, smtp.sender) == (
        "smtp.kommune.test", 587, True, "medverk@kommune.test",
    )
