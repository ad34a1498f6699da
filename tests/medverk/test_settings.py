"""Settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from medverk.settings import async_database_url, load_settings


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With only a var dir, settings point at SQLite there and a new secret key is kept."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("MEDVERK_DATABASE_URL", raising=False)
    monkeypatch.delenv("MEDVERK_SECRET_KEY", raising=False)
    settings = load_settings()
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'medverk.db'}"
    assert (tmp_path / "secret_key").read_text() == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load_settings().secret_key == settings.secret_key
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"


def test_plain_database_urls_get_async_drivers() -> None:
    """Users may write plain URLs; the store gets asyncio drivers."""
    assert async_database_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert async_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"


def test_bad_malform_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only nn and nb are målformer."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_DEFAULT_MALFORM", "en")
    with pytest.raises(ValueError, match="nn or nb"):
        load_settings()


def test_settings_come_from_the_mapping_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A stack passes its own environment; the process environment is neither read nor changed."""
    monkeypatch.setenv("MEDVERK_RASA_URL", "http://process-env:1")
    monkeypatch.setenv("MEDVERK_SECRET_KEY", "from-the-process")
    before = dict(os.environ)
    env = {
        "MEDVERK_VAR_DIR": str(tmp_path),
        "MEDVERK_SECRET_KEY": "s" * 40,
        "MEDVERK_RASA_URL": "http://127.0.0.1:5999/",
        "MEDVERK_DEFAULT_MALFORM": "nb",
    }
    settings = load_settings(env)
    assert settings.rasa_url == "http://127.0.0.1:5999"
    assert settings.secret_key == "s" * 40
    assert settings.default_malform == "nb"
    assert settings.var_dir == tmp_path
    assert dict(os.environ) == before


def test_turns_in_flight_to_rasa_are_bounded_by_a_setting(tmp_path: Path) -> None:
    """The gateway's bound on turns at once in the engine (bot/rasa_client.turn_session)."""
    env = {"MEDVERK_VAR_DIR": str(tmp_path), "MEDVERK_SECRET_KEY": "s" * 40}
    assert load_settings(env).rasa_turns_in_flight == 16
    env["MEDVERK_RASA_TURNS_IN_FLIGHT"] = "24"
    assert load_settings(env).rasa_turns_in_flight == 24
