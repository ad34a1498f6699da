"""`medverk officer ...` on a real database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from medverk.cli import main


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI at the migrated test database."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)


def test_add_list_reset_disable(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An admin is added from stdin, listed, given a new password, then disabled."""
    monkeypatch.setattr("sys.stdin", io.StringIO("eit passord som er langt\n"))
    assert main(["officer", "add", "Kari", "--role", "admin", "--password-stdin"]) == 0
    assert main(["officer", "add", "ola", "--generate-password"]) == 0
    out = capsys.readouterr().out
    assert "created admin kari" in out and "password: " in out
    assert main(["officer", "list"]) == 0
    listing = capsys.readouterr().out
    assert "kari\tadmin\tactive" in listing and "ola\tofficer\tactive" in listing
    assert main(["officer", "reset-password", "ola"]) == 0
    assert "password: " in capsys.readouterr().out
    assert main(["officer", "disable", "ola"]) == 0
    main(["officer", "list"])
    assert "ola\tofficer\tdisabled" in capsys.readouterr().out


def test_errors_are_plain_and_exit_non_zero(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A weak password, a duplicate and an unknown account give exit code 1 and a reason."""
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["officer", "add", "per", "--password-stdin"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert main(["officer", "disable", "ingen"]) == 1
    assert "no account named 'ingen'" in capsys.readouterr().err


def test_demo_inputs_and_notify(cli_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Demo input can be added, and notify runs on a store without decisions."""
    assert main(["officer", "demo-inputs", "--count", "25"]) == 0
    assert "inserted 25 fictional demo inputs" in capsys.readouterr().out
    assert main(["officer", "notify"]) == 0
    assert "queued 0 decision messages" in capsys.readouterr().out


def test_reset_totp_removes_a_lost_second_factor(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`officer reset-totp` works for a known account and refuses an unknown one."""
    monkeypatch.setattr("sys.stdin", io.StringIO("eit passord som er langt\n"))
    assert main(["officer", "add", "kari", "--role", "admin", "--password-stdin"]) == 0
    assert main(["officer", "reset-totp", "kari"]) == 0
    assert "removed the second factor of kari" in capsys.readouterr().out
    assert main(["officer", "reset-totp", "finst-ikkje"]) == 1


def test_demo_inputs_refuse_real_input_unless_forced(
    cli_env: None, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from sqlalchemy import func, select

    from medverk.store.db import create_engine, create_sessionmaker
    from medverk.store.models import Input

    assert main(["officer", "demo-inputs", "--count", "5"]) == 0
    # Demo input alone is no reason to refuse: more demo input is fine.
    assert main(["officer", "demo-inputs", "--count", "5", "--seed", "2"]) == 0

    async def add_real_and_count() -> tuple[int, int]:
        engine = create_engine(database_url)
        async with create_sessionmaker(engine).begin() as db:
            db.add(
                Input(
                    idempotency_key="real-1",
                    case_ref="26/1",
                    text="Ekte",
                    malform="nn",
                    channel="web",
                    sender_key="b" * 64,
                )
            )
        async with create_sessionmaker(engine)() as db:
            demo = await db.scalar(select(func.count()).where(Input.demo.is_(True)))
            real = await db.scalar(select(func.count()).where(Input.demo.is_(False)))
        await engine.dispose()
        return int(demo or 0), int(real or 0)

    assert asyncio.run(add_real_and_count()) == (10, 1)
    capsys.readouterr()
    assert main(["officer", "demo-inputs", "--count", "5"]) == 1
    assert "1 real inputs" in capsys.readouterr().err
    assert main(["officer", "demo-inputs", "--count", "5", "--force"]) == 0


def test_digest_optin_and_send(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.medverk.officers.smtp_server import local_smtp

    monkeypatch.setattr("sys.stdin", io.StringIO("Lang-og-trygg-passord-42\n"))
    assert main(["officer", "add", "kari", "--password-stdin"]) == 0
    assert main(["officer", "digest-optin", "kari"]) == 1  # no e-mail address
    assert main(["officer", "digest-optin", "kari", "--email", "kari@kommune.test"]) == 0
    assert main(["officer", "demo-inputs", "--count", "3"]) == 0
    monkeypatch.delenv("MEDVERK_SMTP_HOST", raising=False)
    assert main(["officer", "digest"]) == 1
    with local_smtp() as (inbox, smtp):
        monkeypatch.setenv("MEDVERK_SMTP_HOST", smtp.host)
        monkeypatch.setenv("MEDVERK_SMTP_PORT", str(smtp.port))
        capsys.readouterr()
        assert main(["officer", "digest", "--all"]) == 0
    # Demo input is not news: nothing to send.
    assert "sent 0 digest" in capsys.readouterr().out
    assert inbox.messages == []
