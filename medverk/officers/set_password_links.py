"""One-time links to set a password (F6): an admin never sees an officer's password.

A reset gives the account a random password nobody knows and returns a link the
admin passes on. The link carries `<officer id>.<expiry>.<signature>`; the signature
is an HMAC of the secret key over the id, the expiry and the account's current
password hash. Using the link changes the hash, so the link then stops working:
it works once, and only until it expires (`LINK_VALIDITY`), without a table.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.officers import accounts
from medverk.officers.errors import OfficerError
from medverk.store import officer_repo
from medverk.store.models import Officer

__all__ = ["LINK_VALIDITY", "InvalidLink", "make_token", "officer_for_token", "use_token"]

LINK_VALIDITY = timedelta(hours=24)


class InvalidLink(OfficerError):
    """The link is unknown, used, expired, or its account is disabled."""


def _signature(secret_key: str, officer: Officer, expires: int) -> str:
    message = f"set-password:{officer.id}:{expires}:{officer.password_hash}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def make_token(secret_key: str, officer: Officer) -> str:
    """A link token for `officer` as the account is now (valid LINK_VALIDITY)."""
    expires = int((utcnow() + LINK_VALIDITY).timestamp())
    return f"{officer.id}.{expires}.{_signature(secret_key, officer, expires)}"


async def officer_for_token(session: AsyncSession, secret_key: str, token: str) -> Officer:
    """The account a valid, unused, unexpired token is for; else `InvalidLink`."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(parts[0]) > 18:
        raise InvalidLink("malformed link")
    officer = await officer_repo.get_officer(session, int(parts[0]))
    expires = int(parts[1])
    if officer is None or not officer.active or expires < utcnow().timestamp():
        raise InvalidLink("unknown, disabled or expired")
    if not hmac.compare_digest(parts[2], _signature(secret_key, officer, expires)):
        raise InvalidLink("used or forged")
    return officer


async def use_token(session: AsyncSession, secret_key: str, token: str, password: str) -> Officer:
    """Set the password through the link (policy-checked); the link is then spent."""
    officer = await officer_for_token(session, secret_key, token)
    accounts.validate_password(
        password, username=officer.username, display_name=officer.display_name
    )
    officer.password_hash = await accounts.hash_password(password)
    officer.failed_logins = 0
    officer.locked_until = None
    await officer_repo.delete_sessions_of(session, officer.id)
    await session.flush()
    return officer
