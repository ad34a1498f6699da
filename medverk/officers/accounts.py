"""Officer accounts: argon2 password hashes, login with lock-out, admin actions.

A wrong password counts against the account; after `MAX_FAILED_LOGINS` in a
row the account is locked for `LOCKOUT`. While locked even the right password
is refused, so guessing gains nothing. Unknown usernames cost the same argon2
work as known ones, so timing does not reveal which accounts exist.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.officers.errors import (
    InvalidRole,
    UnknownOfficer,
    UsernameTaken,
    WeakPassword,
)
from medverk.store import officer_repo
from medverk.store.models import Officer
from medverk.store.models.officers import ROLES

__all__ = [
    "LOCKOUT",
    "MAX_FAILED_LOGINS",
    "MIN_PASSWORD_LENGTH",
    "LoginResult",
    "authenticate",
    "create_officer",
    "disable_officer",
    "generate_password",
    "hash_password",
    "list_officers",
    "reset_password",
    "validate_password",
]

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")

# argon2id with argon2-cffi's defaults (RFC 9106 "low memory": t=3, m=64 MiB, p=4).
_hasher = PasswordHasher()
_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash to verify against when the username is unknown, to spend the same time."""
    parameters = str(id(_hasher))
    if parameters not in _dummy_hashes:
        _dummy_hashes[parameters] = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hashes[parameters]


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; `officer` is set only on success."""

    officer: Officer | None
    locked: bool = False


def validate_password(password: str) -> None:
    """Raise `WeakPassword` unless the password is long enough and not blank."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise WeakPassword(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise WeakPassword("the password is too long (at most 1024 characters)")


def generate_password() -> str:
    """A random password for a new or reset account (about 120 bits)."""
    return secrets.token_urlsafe(15)


async def hash_password(password: str) -> str:
    """The argon2id hash of `password`, computed off the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise ValueError("usernames are 2-100 characters: lower-case letters, digits and . _ @ -")
    return name


async def create_officer(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    role: str = "officer",
    display_name: str = "",
) -> Officer:
    """Create an active account; raises `UsernameTaken`, `WeakPassword`, `InvalidRole`."""
    if role not in ROLES:
        raise InvalidRole(f"role must be one of {', '.join(ROLES)}")
    name = _normalise_username(username)
    validate_password(password)
    if await officer_repo.get_officer_by_username(session, name) is not None:
        raise UsernameTaken(f"an account named {name!r} already exists")
    return await officer_repo.add_officer(
        session,
        username=name,
        display_name=display_name.strip() or name,
        password_hash=await hash_password(password),
        role=role,
    )


def _locked(officer: Officer, now: datetime) -> bool:
    return officer.locked_until is not None and officer_repo.as_utc(officer.locked_until) > now


async def authenticate(session: AsyncSession, username: str, password: str) -> LoginResult:
    """Check a login; counts failures and locks the account after too many."""
    now = utcnow()
    officer = await officer_repo.get_officer_by_username(session, username)
    if officer is None or not officer.active:
        await asyncio.to_thread(_verify, _dummy_hash(), password)
        return LoginResult(officer=None)
    if _locked(officer, now):
        return LoginResult(officer=None, locked=True)
    if not await asyncio.to_thread(_verify, officer.password_hash, password):
        officer.failed_logins = (officer.failed_logins or 0) + 1
        if officer.failed_logins >= MAX_FAILED_LOGINS:
            officer.locked_until = now + LOCKOUT
            officer.failed_logins = 0
            await session.flush()
            return LoginResult(officer=None, locked=True)
        await session.flush()
        return LoginResult(officer=None)
    officer.failed_logins = 0
    officer.locked_until = None
    officer.last_login_at = now
    if _hasher.check_needs_rehash(officer.password_hash):
        officer.password_hash = await hash_password(password)
    await session.flush()
    return LoginResult(officer=officer)


async def _require(session: AsyncSession, username: str) -> Officer:
    officer = await officer_repo.get_officer_by_username(session, username)
    if officer is None:
        raise UnknownOfficer(f"no account named {username.strip().lower()!r}")
    return officer


async def disable_officer(session: AsyncSession, username: str) -> Officer:
    """Deactivate an account and end its sessions."""
    officer = await _require(session, username)
    officer.active = False
    await officer_repo.delete_sessions_of(session, officer.id)
    await session.flush()
    return officer


async def reset_password(session: AsyncSession, username: str, password: str) -> Officer:
    """Set a new password, re-activate and unlock the account, end its sessions."""
    validate_password(password)
    officer = await _require(session, username)
    officer.password_hash = await hash_password(password)
    officer.failed_logins = 0
    officer.locked_until = None
    officer.active = True
    await officer_repo.delete_sessions_of(session, officer.id)
    await session.flush()
    return officer


async def list_officers(session: AsyncSession) -> Sequence[Officer]:
    """All accounts, by username."""
    return await officer_repo.list_officers(session)
