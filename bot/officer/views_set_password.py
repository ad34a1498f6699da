"""GET/POST /officer/set-password/{token}: set a password with a one-time link (F6)."""

from __future__ import annotations

from aiohttp import web

from bot.keys import SESSIONMAKER, SETTINGS
from bot.officer.auth import PREFIX
from bot.officer.render import page, ui
from bot.officer.views_password import new_password_of, too_weak
from medverk.officers import accounts
from medverk.officers.errors import WeakPassword
from medverk.officers.set_password_links import InvalidLink, officer_for_token, use_token
from medverk.store import officer_repo

__all__ = ["set_password_form", "set_password_submit"]


def _render(
    request: web.Request, *, username: str = "", error: str = "", status: int = 200
) -> web.Response:
    context = {
        "username": username,
        "error": error,
        "token": request.match_info["token"],
        "min_password": accounts.MIN_PASSWORD_LENGTH,
    }
    return page(request, "set_password.html", context, status=status, logged_in=False)


async def set_password_form(request: web.Request) -> web.Response:
    """The form, if the link is still good; a plain 'link expired' page otherwise."""
    secret = request.config_dict[SETTINGS].secret_key
    async with request.config_dict[SESSIONMAKER]() as db:
        try:
            officer = await officer_for_token(db, secret, request.match_info["token"])
        except InvalidLink:
            return _render(request, error=ui(request, "set_password_link_invalid"), status=404)
    return _render(request, username=officer.username)


async def set_password_submit(request: web.Request) -> web.Response:
    """Set the password (the link is then spent) and send the officer to the login form."""
    new = new_password_of(await request.post())
    if new is None:
        return _render(request, error=ui(request, "password_mismatch"), status=400)
    secret = request.config_dict[SETTINGS].secret_key
    try:
        async with request.config_dict[SESSIONMAKER].begin() as db:
            officer = await use_token(db, secret, request.match_info["token"], new)
            await officer_repo.add_audit_event(
                db,
                officer=officer,
                action="password_set_by_link",
                target=f"officer:{officer.username}",
            )
    except InvalidLink:
        return _render(request, error=ui(request, "set_password_link_invalid"), status=404)
    except WeakPassword:
        return _render(request, error=too_weak(request), status=400)
    raise web.HTTPSeeOther(PREFIX + "/login?password_set=1")
