"""The gateway sends due digest e-mails on a schedule (to a local aiosmtpd server)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web

from bot import digest_job
from bot.keys import SESSIONMAKER, SETTINGS
from medverk.settings import load_settings
from medverk.store.digest_repo import set_digest
from medverk.store.models import Input, Officer
from tests.medverk.officers.smtp_server import body, local_smtp

pytestmark = pytest.mark.calendar


async def test_scheduled_digest_reaches_the_smtp_server(
    sessionmaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    async with sessionmaker.begin() as session:
        officer = Officer(username="kari", password_hash="x")
        session.add(officer)
        session.add(
            Input(
                idempotency_key="n1",
                case_ref="2026/411",
                case_title="Skatepark",
                text="Ny rampe!",
                malform="nn",
                channel="web",
                sender_key="s" * 64,
            )
        )
        await session.flush()
        await set_digest(session, officer.id, email="kari@kommune.test", frequency="daily")
    app = web.Application()
    app[SETTINGS] = load_settings()
    app[SESSIONMAKER] = sessionmaker
    with local_smtp() as (inbox, smtp):
        digest_job.setup(app, smtp, first_delay=0, interval=3600)
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            for _ in range(200):
                if inbox.messages:
                    break
                await asyncio.sleep(0.05)
        finally:
            await runner.cleanup()
    assert len(inbox.messages) == 1
    assert "2026/411 Skatepark: 1 nye" in body(inbox.messages[0])


def test_no_smtp_host_no_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDVERK_SMTP_HOST", raising=False)
    app = web.Application()
    before = len(app.cleanup_ctx)
    digest_job.setup(app)
    assert len(app.cleanup_ctx) == before
