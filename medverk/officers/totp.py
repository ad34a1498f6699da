"""Second factor for officer accounts: TOTP (RFC 6238) with one-time recovery codes.

Required for admins, optional for officers. The secret is stored sealed with a key
derived from the app's secret key (HMAC-SHA256 keystream, encrypt-then-MAC), so a copy
of the database or a log line does not give it away. A code is accepted for the
current 30-second step and one step either side; a step once used is refused again
(replay). Wrong codes count against the same failed-login counter as passwords, so
they lock the account the same way. Recovery codes (10, shown once) are stored as
SHA-256 hashes and each works once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.officers import accounts
from medverk.officers.errors import UnknownOfficer
from medverk.store import officer_repo
from medverk.store.models import Officer

__all__ = [
    "ISSUER",
    "PENDING_SECONDS",
    "RECOVERY_CODES",
    "CodeCheck",
    "check_code",
    "confirm_enrolment",
    "disable",
    "matching_step",
    "pending_token",
    "provisioning_uri",
    "read_pending_token",
    "remove_for",
    "seal",
    "start_enrolment",
    "unseal",
]

ISSUER = "Medverk"
RECOVERY_CODES = 10
# How long the step between password and code may take.
PENDING_SECONDS = 300
_STEP = 30


def _key(secret_key: str, purpose: bytes) -> bytes:
    return hmac.new(secret_key.encode(), b"totp:" + purpose, hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def seal(secret: str, secret_key: str) -> str:
    """The stored form of a TOTP secret: nonce, ciphertext and tag, base64."""
    nonce = secrets.token_bytes(16)
    plain = secret.encode()
    stream = _stream(_key(secret_key, b"enc"), nonce, len(plain))
    cipher = bytes(a ^ b for a, b in zip(plain, stream, strict=True))
    tag = hmac.new(_key(secret_key, b"mac"), nonce + cipher, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(sealed: str, secret_key: str) -> str | None:
    """The TOTP secret, or None when the stored value was not sealed with this key."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
    except ValueError:
        return None
    if len(raw) < 49:
        return None
    nonce, cipher, tag = raw[:16], raw[16:-32], raw[-32:]
    expected = hmac.new(_key(secret_key, b"mac"), nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        return None
    stream = _stream(_key(secret_key, b"enc"), nonce, len(cipher))
    return bytes(a ^ b for a, b in zip(cipher, stream, strict=True)).decode()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads (as text or QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (±1 for clock drift) whose code is `code`, else None."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    # Real Unix time, not the pinnable clock: codes must match the officer's phone
    # even when MEDVERK_TODAY pins the date for a demo.
    at = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    step = int(at // _STEP)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.at(candidate * _STEP), code):
            return candidate
    return None


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()[:16]
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:]}")
    return codes


def pending_token(officer_id: int, secret_key: str, now: float | None = None) -> str:
    """A signed note 'this officer gave the right password', good for PENDING_SECONDS."""
    expires = int((utcnow().timestamp() if now is None else now) + PENDING_SECONDS)
    body = f"{officer_id}.{expires}.{secrets.token_hex(8)}"
    tag = hmac.new(_key(secret_key, b"pending"), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{tag}"


def read_pending_token(token: str, secret_key: str, now: float | None = None) -> int | None:
    """The officer id of a valid, unexpired pending token, else None."""
    body, _, tag = token.rpartition(".")
    expected = hmac.new(_key(secret_key, b"pending"), body.encode(), hashlib.sha256).hexdigest()
    if not body or not hmac.compare_digest(tag.encode(), expected.encode()):
        return None
    officer_id, expires, _nonce = [*body.split("."), "", "", ""][:3]
    if not officer_id.isdigit() or not expires.isdigit():
        return None
    if int(expires) < (utcnow().timestamp() if now is None else now):
        return None
    return int(officer_id)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a second-factor check: `ok`, else why not."""

    ok: bool
    locked: bool = False
    replayed: bool = False
    recovery_used: bool = False


async def check_code(
    session: AsyncSession, officer: Officer, code: str, secret_key: str
) -> CodeCheck:
    """Check a TOTP or recovery code; counted and locked like a password attempt."""
    now = utcnow()
    if officer.locked_until is not None and officer.locked_until > now:
        return CodeCheck(ok=False, locked=True)
    attempt = await officer_repo.count_login_attempt(session, officer.id, now)
    if attempt is None or attempt > accounts.MAX_FAILED_LOGINS:
        return CodeCheck(ok=False, locked=True)
    secret = unseal(officer.totp_secret or "", secret_key)
    result = CodeCheck(ok=False)
    if secret is not None and officer.totp_confirmed:
        step = matching_step(secret, code)
        if step is not None:
            if await officer_repo.claim_totp_step(session, officer.id, step):
                result = CodeCheck(ok=True)
            else:
                result = CodeCheck(ok=False, replayed=True)
        elif code.strip():
            hashes = officer.totp_recovery.split()
            wanted = _hash_recovery(code)
            if wanted in hashes:
                rest = "\n".join(h for h in hashes if h != wanted)
                if await officer_repo.use_recovery_hash(
                    session, officer.id, officer.totp_recovery, rest
                ):
                    result = CodeCheck(ok=True, recovery_used=True)
    if result.ok:
        await officer_repo.record_login(session, officer.id, now)
    elif attempt >= accounts.MAX_FAILED_LOGINS:
        await officer_repo.lock_officer(session, officer.id, now + accounts.LOCKOUT)
        return CodeCheck(ok=False, locked=True, replayed=result.replayed)
    return result


async def start_enrolment(session: AsyncSession, officer: Officer, secret_key: str) -> str:
    """A new, unconfirmed secret for the account (replacing an unconfirmed one); returns it."""
    secret = pyotp.random_base32()
    await officer_repo.set_totp(
        session, officer.id, sealed_secret=seal(secret, secret_key), confirmed=False
    )
    return secret


async def confirm_enrolment(
    session: AsyncSession, officer: Officer, code: str, secret_key: str
) -> list[str] | None:
    """Turn the second factor on with a valid code; returns the recovery codes (show once)."""
    secret = unseal(officer.totp_secret or "", secret_key)
    if secret is None or officer.totp_confirmed:
        return None
    step = matching_step(secret, code)
    if step is None:
        return None
    codes = _new_recovery_codes()
    await officer_repo.set_totp(
        session,
        officer.id,
        sealed_secret=officer.totp_secret,
        confirmed=True,
        recovery_hashes="\n".join(_hash_recovery(c) for c in codes),
    )
    await officer_repo.claim_totp_step(session, officer.id, step)
    return codes


async def disable(session: AsyncSession, officer: Officer) -> None:
    """Remove the second factor (the caller checks a recent login and a code first)."""
    await officer_repo.set_totp(session, officer.id, sealed_secret=None, confirmed=False)


async def remove_for(session: AsyncSession, username: str) -> Officer:
    """The server operator's way out of a lost second factor: remove it, end the sessions."""
    officer = await officer_repo.get_officer_by_username(session, username.strip().lower())
    if officer is None:
        raise UnknownOfficer(username)
    await officer_repo.set_totp(session, officer.id, sealed_secret=None, confirmed=False)
    await officer_repo.delete_sessions_of(session, officer.id)
    return officer
