"""Admin actions on accounts need a recent password (F6, ASVS 3.7.1).

Creating, disabling and resetting accounts are allowed only within
`REAUTH_WINDOW` of the admin's own login. After that the admin is sent to the
login form (which rotates the session) and comes back to the users page: a
session left open on a shared PC cannot be used to take over accounts.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current
from medverk.clock import utcnow
from medverk.officers.sessions import token_hash
from medverk.store import officer_repo

__all__ = ["REAUTH_WINDOW", "require_recent_login"]

REAUTH_WINDOW = timedelta(minutes=10)


async def require_recent_login(request: web.Request, back_to: str = "/admin/officers") -> None:
    """Raise a redirect to the login form unless this session logged in recently."""
    active = current(request)
    async with request.config_dict[SESSIONMAKER]() as db:
        found = await officer_repo.get_session(db, token_hash(active.token))
    if found is not None and utcnow() - found[0].created_at <= REAUTH_WINDOW:
        return
    back = quote(PREFIX + back_to, safe="")
    raise web.HTTPSeeOther(f"{PREFIX}/login?next={back}&reauth=1")
