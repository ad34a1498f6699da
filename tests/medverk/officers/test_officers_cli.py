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
