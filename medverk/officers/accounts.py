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
from medverk.officers.password_policy import MIN_PASSWORD_LENGTH, check_password
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
    "reset_to_generated_password",
    "validate_password",
    "verify_password",
]

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
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
    # Whether the username names an account; only then is it written to the audit log (F19).
    known: bool = True


def validate_password(password: str, username: str = "", display_name: str = "") -> None:
    """Raise `WeakPassword` unless the password is good (see `password_policy`)."""
    check_password(password, username=username, display_name=display_name)


def generate_password(username: str = "", display_name: str = "") -> str:
    """A random password for a new or reset account (about 120 bits) that the policy accepts
    for this account: a random string can contain the username ("XoLAh" holds "ola"), so
    draw again until it does not."""
    while True:
        password = secrets.token_urlsafe(15)
        try:
            check_password(password, username=username, display_name=display_name)
        except WeakPassword:
            continue
        return password


async def hash_password(password: str) -> str:
    """The argon2id hash of `password`, computed off the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash` (argon2 off the event loop)."""
    return await asyncio.to_thread(_verify, password_hash, password)


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
    validate_password(password, username=name, display_name=display_name)
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
    return officer.locked_until is not None and officer.locked_until > now


async def authenticate(session: AsyncSession, username: str, password: str) -> LoginResult:
    """Check a login; counts the attempt first, locks the account after too many.

    Every answer costs one argon2 verification (unknown, disabled and locked accounts are
    checked against a dummy hash), so timing does not tell which accounts exist (F10).
    """
    now = utcnow()
    officer = await officer_repo.get_officer_by_username(session, username)
    if officer is None or not officer.active:
        await asyncio.to_thread(_verify, _dummy_hash(), password)
        return LoginResult(officer=None, known=officer is not None)
    attempt = (
        None
        if _locked(officer, now)
        else await officer_repo.count_login_attempt(session, officer.id, now)
    )
    if attempt is None or attempt > MAX_FAILED_LOGINS:
        await asyncio.to_thread(_verify, _dummy_hash(), password)
        return LoginResult(officer=None, locked=True)
    if not await asyncio.to_thread(_verify, officer.password_hash, password):
        if attempt >= MAX_FAILED_LOGINS:
            await officer_repo.lock_officer(session, officer.id, now + LOCKOUT)
            return LoginResult(officer=None, locked=True)
        return LoginResult(officer=None)
    if not officer.totp_confirmed:
        # With a second factor the attempt stays counted until the code is right too
        # (medverk.officers.totp.check_code), so the password step cannot reset the count.
        await officer_repo.record_login(session, officer.id, now)
    if _hasher.check_needs_rehash(officer.password_hash):
        officer.password_hash = await hash_password(password)
    await session.flush()
    await session.refresh(officer)
    return LoginResult(officer=officer)


async def _require(session: AsyncSession, username: str) -> Officer:
    officer = await officer_repo.get_officer_by_username(session, username)
    if officer is None:
        raise UnknownOfficer(f"no account named {username.strip().lower()!r}")
    return officer


async def require_officer(session: AsyncSession, username: str) -> Officer:
    """The officer `username`; raises `OfficerError` when there is none."""
    return await _require(session, username)


async def disable_officer(session: AsyncSession, username: str) -> Officer:
    """Deactivate an account and end its sessions."""
    officer = await _require(session, username)
    officer.active = False
    await officer_repo.delete_sessions_of(session, officer.id)
    await session.flush()
    return officer


async def reset_password(session: AsyncSession, username: str, password: str) -> Officer:
    """Set a new password, unlock the account, end its sessions.

    A disabled account stays disabled (F16): enabling it is a separate, audited decision.
    """
    officer = await _require(session, username)
    validate_password(password, username=officer.username, display_name=officer.display_name)
    officer.password_hash = await hash_password(password)
    officer.failed_logins = 0
    officer.locked_until = None
    await officer_repo.delete_sessions_of(session, officer.id)
    await session.flush()
    return officer


async def reset_to_generated_password(session: AsyncSession, username: str) -> tuple[Officer, str]:
    """`reset_password` with a random password the policy accepts for this account; returns
    the account and the password (for the CLI to print; the officer app shows nobody)."""
    officer = await _require(session, username)
    password = generate_password(officer.username, officer.display_name)
    return await reset_password(session, username, password), password


async def list_officers(session: AsyncSession) -> Sequence[Officer]:
    """All accounts, by username."""
    return await officer_repo.list_officers(session)
