"""Officer accounts: hashing, creation rules, lock-out, disable, reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.clock import utcnow
from medverk.officers import accounts
from medverk.officers.errors import InvalidRole, UnknownOfficer, UsernameTaken, WeakPassword

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

GOOD = "et langt og godt passord"


async def test_production_hasher_is_argon2id_with_rfc_9106_costs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the tests' cheap hasher, hashes are argon2id with 64 MiB and t=3."""
    monkeypatch.undo()
    hashed = await accounts.hash_password("x" * 12)
    assert hashed.startswith("$argon2id$") and "m=65536,t=3" in hashed


async def test_create_stores_only_a_hash(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """The password is not stored; the username is normalised to lower case."""
    async with sessionmaker.begin() as db:
        officer = await accounts.create_officer(db, username=" Kari ", password=GOOD, role="admin")
    assert officer.username == "kari" and officer.role == "admin" and officer.active
    assert GOOD not in officer.password_hash and officer.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("username", "password", "role", "error"),
    [
        ("per", "kort", "officer", WeakPassword),
        ("per", " " * 20, "officer", WeakPassword),
        ("per", GOOD, "superuser", InvalidRole),
        ("<script>", GOOD, "officer", ValueError),
    ],
)
async def test_create_refuses_bad_accounts(
    sessionmaker: async_sessionmaker[AsyncSession],
    username: str,
    password: str,
    role: str,
    error: type[Exception],
) -> None:
    """Weak passwords, unknown roles and odd usernames are refused."""
    async with sessionmaker.begin() as db:
        with pytest.raises(error):
            await accounts.create_officer(db, username=username, password=password, role=role)


async def test_usernames_are_unique_case_insensitively(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """`Ola` and `ola` are the same account."""
    async with sessionmaker.begin() as db:
        await accounts.create_officer(db, username="ola", password=GOOD)
        with pytest.raises(UsernameTaken):
            await accounts.create_officer(db, username="OLA", password=GOOD)


async def test_authenticate_locks_after_repeated_failures(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Wrong passwords count; at the limit the account locks, then unlocks after the lock-out."""
    async with sessionmaker.begin() as db:
        await accounts.create_officer(db, username="ola", password=GOOD)
    for attempt in range(1, accounts.MAX_FAILED_LOGINS + 1):
        async with sessionmaker.begin() as db:
            result = await accounts.authenticate(db, "ola", "feil passord 123")
        assert result.officer is None
        assert result.locked == (attempt == accounts.MAX_FAILED_LOGINS)
    async with sessionmaker.begin() as db:
        assert (await accounts.authenticate(db, "ola", GOOD)).locked
        officer = (await accounts.list_officers(db))[0]
        officer.locked_until = utcnow() - timedelta(seconds=1)
    async with sessionmaker.begin() as db:
        result = await accounts.authenticate(db, "OLA", GOOD)
    assert result.officer is not None and result.officer.failed_logins == 0
    assert result.officer.last_login_at is not None


async def test_unknown_and_disabled_accounts_cannot_log_in(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Unknown usernames and disabled accounts get the same plain refusal."""
    async with sessionmaker.begin() as db:
        await accounts.create_officer(db, username="ola", password=GOOD)
        assert (await accounts.authenticate(db, "ingen", GOOD)).officer is None
        await accounts.disable_officer(db, "ola")
        result = await accounts.authenticate(db, "ola", GOOD)
    assert result.officer is None and not result.locked


async def test_reset_password_unlocks(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """After a reset only the new password works, and a locked account is open again
    (a disabled one stays disabled: test_password_policy.py)."""
    async with sessionmaker.begin() as db:
        officer = await accounts.create_officer(db, username="ola", password=GOOD)
        officer.locked_until = utcnow() + timedelta(hours=1)
        new = accounts.generate_password()
        await accounts.reset_password(db, "ola", new)
    async with sessionmaker.begin() as db:
        assert (await accounts.authenticate(db, "ola", GOOD)).officer is None
        assert (await accounts.authenticate(db, "ola", new)).officer is not None
        with pytest.raises(UnknownOfficer):
            await accounts.reset_password(db, "ingen", new)
        with pytest.raises(UnknownOfficer):
            await accounts.disable_officer(db, "ingen")
