"""An officer's own password: GET/POST /officer/password (F6)."""

from __future__ import annotations

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import current, officer_page
from bot.officer.render import page, ui
from medverk.officers import accounts
from medverk.officers.errors import WeakPassword
from medverk.officers.self_service import WrongCurrentPassword, change_own_password
from medverk.store import officer_repo

__all__ = ["password_form", "password_submit"]

MAX_FIELD = 1024


def _form(
    request: web.Request, *, notice: str = "", error: str = "", status: int = 200
) -> web.Response:
    context = {"notice": notice, "error": error, "min_password": accounts.MIN_PASSWORD_LENGTH}
    return page(request, "password.html", context, status=status)


@officer_page
async def password_form(request: web.Request) -> web.Response:
    """GET /officer/password: the change-password form."""
    return _form(request)


@officer_page
async def password_submit(request: web.Request) -> web.Response:
    """POST /officer/password: check the current password, set the new one."""
    form = await request.post()
    current_password = str(form.get("current_password", ""))[:MAX_FIELD]
    new = str(form.get("new_password", ""))[:MAX_FIELD]
    if new != str(form.get("new_password_again", ""))[:MAX_FIELD]:
        return _form(request, error=ui(request, "password_mismatch"), status=400)
    active = current(request)
    try:
        async with request.config_dict[SESSIONMAKER].begin() as db:
            ended = await change_own_password(
                db, active.officer.id, current_password, new, keep_token=active.token
            )
            await officer_repo.add_audit_event(
                db,
                officer=active.officer,
                action="password_changed",
                target=f"officer:{active.officer.username}",
                detail=f"ended {ended} other sessions",
            )
    except WrongCurrentPassword:
        return _form(request, error=ui(request, "password_wrong_current"), status=400)
    except WeakPassword:
        return _form(
            request,
            error=ui(request, "password_too_weak", min=accounts.MIN_PASSWORD_LENGTH),
            status=400,
        )
    return _form(request, notice=ui(request, "password_changed"))
