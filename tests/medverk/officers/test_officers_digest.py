"""Digest e-mail: delivered to a local SMTP server (aiosmtpd), counts only, once per period."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers.digest import SmtpSettings, send_due_digests
from medverk.officers.texts import load_texts
from medverk.settings import PROJECT_ROOT
from medverk.store.digest_repo import set_digest
from medverk.store.models import Input, Officer
from tests.medverk.officers.smtp_server import Inbox, body, local_smtp

pytestmark = pytest.mark.calendar

TEXTS = load_texts(PROJECT_ROOT / "data" / "knowledge")


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, SmtpSettings]]:
    with local_smtp() as server:
        yield server


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
    smtp_server: tuple[Inbox, SmtpSettings],
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
            db,
            ola.id,
            email="ola@kommune.test",
            frequency="weekly",
            committee="Ungdomsrådet",
            malform="nb",
        )
    async with sessionmaker.begin() as db:
        result = await send_due_digests(db, TEXTS, smtp, public_url="https://medverk.test")
    assert (result.sent, result.skipped) == (2, 0)
    by_to = {m["To"]: m for m in inbox.messages}
    kari_mail = by_to["kari@kommune.test"]
    kari_body = body(kari_mail)
    assert kari_mail["Subject"] == "Medverk: 4 nye innspel sidan i går"
    assert "26/1002 Busstilbod: 3 nye" in kari_body
    assert "26/2000 Skatepark: 1 nye" in kari_body
    assert "https://medverk.test/officer/inputs?status=new" in kari_body
    for private in ("Meir buss", "912 34 567", "Kari Nordmann", "kari@example.no"):
        assert private not in kari_body
    ola_body = body(by_to["ola@kommune.test"])
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
        "smtp.kommune.test",
        587,
        True,
        "medverk@kommune.test",
    )
