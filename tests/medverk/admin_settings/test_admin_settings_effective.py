"""The settings in force: defaults from env and contact.yml, overlaid by the table."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.admin_settings import (
    EffectiveCache,
    apply_overrides,
    default_source,
    defaults,
    load_effective,
)
from medverk.settings import Settings, load_settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.settings_repo import delete_setting, set_setting

ENV = (
    "MEDVERK_CONTACT_NAME",
    "MEDVERK_CONTACT_EMAIL",
    "MEDVERK_CONTACT_PHONE",
    "MEDVERK_DEFAULT_MALFORM",
    "MEDVERK_RETENTION_DAYS",
    "MEDVERK_RETENTION_MODE",
    "MEDVERK_ALLOWED_ORIGINS",
)


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    """Settings with none of the editable variables set."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return load_settings()


def test_defaults_take_the_contact_from_the_knowledge_file(settings: Settings) -> None:
    """Without env variables the sample contact of contact.yml is the default."""
    base = defaults(settings)
    assert base.contact_email == "ungdomskontakt@eksempelvik.example"
    assert base.default_malform == "nn"
    assert (base.retention_days, base.retention_mode) == (365, "anonymise")
    assert default_source("contact_email") == "file"
    assert default_source("retention_days") == "builtin"


def test_environment_beats_the_knowledge_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """MEDVERK_CONTACT_EMAIL is the default when set, and is named as its source."""
    monkeypatch.setenv("MEDVERK_CONTACT_EMAIL", "ung@kommune.example")
    monkeypatch.setenv("MEDVERK_ALLOWED_ORIGINS", "https://a.example")
    settings = load_settings()
    assert defaults(settings).contact_email == "ung@kommune.example"
    assert defaults(settings).allowed_origins == ("https://a.example",)
    assert default_source("contact_email") == "env"


def test_a_broken_contact_file_falls_back_to_the_environment(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken contact.yml does not stop the settings from loading."""
    (tmp_path / "contact.yml").write_text("name: [unclosed", encoding="utf-8")
    monkeypatch.setenv("MEDVERK_KNOWLEDGE_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_CONTACT_PHONE", "22 33 44 55")
    base = defaults(load_settings())
    assert (base.contact_email, base.contact_phone) == ("", "22 33 44 55")


def test_overrides_are_typed_and_bad_stored_values_ignored(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Stored text becomes int/tuple; a value that fails the checks keeps the default."""
    with caplog.at_level(logging.WARNING):
        result = apply_overrides(
            defaults(settings),
            {
                "retention_days": "90",
                "allowed_origins": "https://a.example\nhttps://b.example",
                "contact_phone": "",
                "contact_email": "not an address",
                "secret_key": "ignored",
            },
        )
    assert result.retention_days == 90
    assert result.allowed_origins == ("https://a.example", "https://b.example")
    assert result.contact_phone == ""
    assert result.contact_email == "ungdomskontakt@eksempelvik.example"
    assert "contact_email" in caplog.text


async def test_load_effective_reads_the_table(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """What an admin saved is in force; deleting it brings the default back."""
    async with sessionmaker.begin() as db:
        await set_setting(db, "contact_email", "ung@kommune.example", by="kari")
        await set_setting(db, "default_malform", "nb", by="kari")
    async with sessionmaker() as db:
        found = await load_effective(db, settings)
    assert (found.contact_email, found.default_malform) == ("ung@kommune.example", "nb")
    assert found.contact.email == "ung@kommune.example"
    async with sessionmaker.begin() as db:
        await delete_setting(db, "contact_email")
    async with sessionmaker() as db:
        assert (await load_effective(db, settings)).contact_email.endswith("eksempelvik.example")


async def test_cache_rereads_only_after_its_ttl(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """Within the ttl the cache answers from memory; after it, from the table."""
    now = [0.0]
    cache = EffectiveCache(settings, sessionmaker, ttl=30, clock=lambda: now[0])
    assert (await cache.get()).retention_days == 365
    async with sessionmaker.begin() as db:
        await set_setting(db, "retention_days", "30", by="kari")
    now[0] = 29.0
    assert (await cache.get()).retention_days == 365
    now[0] = 30.0
    assert (await cache.get()).retention_days == 30
    assert cache.latest.retention_days == 30


async def test_cache_keeps_the_last_values_when_the_store_fails(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A database without the table (or down) leaves the defaults in force, with a warning."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    cache = EffectiveCache(settings, create_sessionmaker(engine))
    with caplog.at_level(logging.WARNING):
        found = await cache.get()
    await engine.dispose()
    assert found == defaults(settings)
    assert "could not read admin settings" in caplog.text
