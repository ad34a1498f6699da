"""An officer's own password: GET/POST /officer/password (F6)."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import current, officer_page
from bot.officer.render import page, ui
from medverk.officers import accounts
from medverk.officers.errors import WeakPassword
from medverk.officers.self_service import WrongCurrentPassword, change_own_password
from medverk.store import officer_repo

__all__ = ["MAX_FIELD", "new_password_of", "password_form", "password_submit", "too_weak"]

MAX_FIELD = 1024


def new_password_of(form: Mapping[str, object]) -> str | None:
    """The new password when it was typed the same twice, else None (both forms)."""
    new = str(form.get("new_password", ""))[:MAX_FIELD]
    return new if new == str(form.get("new_password_again", ""))[:MAX_FIELD] else None


def too_weak(request: web.Request) -> str:
    """The error for a new password the policy refuses."""
    return ui(request, "password_too_weak", min=accounts.MIN_PASSWORD_LENGTH)


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
    new = new_password_of(form)
    if new is None:
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
        return _form(request, error=too_weak(request), status=400)
    return _form(request, notice=ui(request, "password_changed"))
