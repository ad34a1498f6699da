"""An officer changes their own password (F6): the current one first, then the other
sessions end, so a stolen session or a password an admin once knew stops working."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.officers import accounts
from medverk.officers.errors import OfficerError
from medverk.officers.sessions import token_hash
from medverk.store import officer_repo

__all__ = ["WrongCurrentPassword", "change_own_password"]


class WrongCurrentPassword(OfficerError):
    """The current password given was not the account's password."""


async def change_own_password(
    session: AsyncSession, officer_id: int, current: str, new: str, keep_token: str
) -> int:
    """Check `current`, set `new` (policy-checked), end every other session; returns how many."""
    officer = await officer_repo.get_officer(session, officer_id)
    if officer is None or not officer.active:
        raise WrongCurrentPassword("no such active account")
    if not await accounts.verify_password(officer.password_hash, current):
        raise WrongCurrentPassword("the current password is wrong")
    accounts.validate_password(new, username=officer.username, display_name=officer.display_name)
    officer.password_hash = await accounts.hash_password(new)
    ended = await officer_repo.delete_sessions_of(
        session, officer.id, keep_hash=token_hash(keep_token)
    )
    await session.flush()
    return ended
