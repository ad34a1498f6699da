"""Enrol a seeded browser-test admin in TOTP (admins must have it); returns the secret."""

from __future__ import annotations

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.officers import totp
from medverk.store import officer_repo


async def enrol_admin(db: AsyncSession, username: str, secret_key: str) -> str:
    """A fresh confirmed second factor for `username` (also on a rerun); its secret."""
    officer = await officer_repo.get_officer_by_username(db, username)
    assert officer is not None
    await officer_repo.set_totp(db, officer.id, sealed_secret=None, confirmed=False)
    await db.refresh(officer)
    secret = await totp.start_enrolment(db, officer, secret_key)
    await db.refresh(officer)
    codes = await totp.confirm_enrolment(db, officer, pyotp.TOTP(secret).now(), secret_key)
    assert codes is not None
    # The browser's first login may fall in the same 30 s step as this confirmation.
    await officer_repo.set_totp(
        db, officer.id, sealed_secret=officer.totp_secret, confirmed=True, recovery_hashes=""
    )
    return secret
