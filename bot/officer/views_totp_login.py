"""The login's second step: a TOTP or recovery code after the right password (F6).

The password step leaves a signed, short-lived note in a cookie scoped to the login
pages (`medverk.officers.totp.pending_token`); no session exists until the code is right.
"""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from bot.keys import SESSIONMAKER, SETTINGS
from bot.officer.auth import (
    PREFIX,
    client_address,
    is_https,
    safe_next,
    session_token,
    set_session_cookie,
)
from bot.officer.keys import LOGIN_IN_FLIGHT
from bot.officer.render import page, ui
from medverk.officers import sessions, totp
from medverk.store import officer_repo

__all__ = ["PENDING_COOKIE_NAME", "second_step", "totp_form", "totp_submit"]

PENDING_COOKIE_NAME = "medverk_officer_mfa"
_PATH = PREFIX + "/login"
MAX_FIELD = 100


def second_step(request: web.Request, officer_id: int, next_url: str) -> web.HTTPSeeOther:
    """The redirect from a right password to the code form, with the pending note."""
    secret_key = request.config_dict[SETTINGS].secret_key
    response = web.HTTPSeeOther(f"{_PATH}/totp?next={quote(next_url, safe='')}")
    response.set_cookie(
        PENDING_COOKIE_NAME,
        totp.pending_token(officer_id, secret_key),
        path=_PATH,
        httponly=True,
        samesite="Strict",
        secure=is_https(request),
        max_age=totp.PENDING_SECONDS,
    )
    return response


def _pending(request: web.Request) -> int | None:
    token = request.cookies.get(PENDING_COOKIE_NAME, "")[:300]
    return totp.read_pending_token(token, request.config_dict[SETTINGS].secret_key)


def _form(
    request: web.Request, next_url: str, *, error: str = "", status: int = 200
) -> web.Response:
    context = {"error": error, "next": next_url}
    return page(request, "totp_login.html", context, status=status, logged_in=False)


async def totp_form(request: web.Request) -> web.Response:
    """GET /officer/login/totp: the code form (back to login without a pending note)."""
    if _pending(request) is None:
        raise web.HTTPSeeOther(_PATH)
    return _form(request, safe_next(request.query.get("next")))


async def totp_submit(request: web.Request) -> web.Response:
    """POST /officer/login/totp: check the code, then start the session."""
    officer_id = _pending(request)
    if officer_id is None:
        raise web.HTTPSeeOther(_PATH)
    form = await request.post()
    next_url = safe_next(str(form.get("next", "")))
    code = str(form.get("code", ""))[:MAX_FIELD]
    address = client_address(request)
    secret_key = request.config_dict[SETTINGS].secret_key
    async with (
        request.config_dict[LOGIN_IN_FLIGHT].one_at_a_time(f"officer:{officer_id}"),
        request.config_dict[SESSIONMAKER].begin() as db,
    ):
        officer = await officer_repo.get_officer(db, officer_id)
        if officer is None or not officer.active:
            raise web.HTTPSeeOther(_PATH)
        check = await totp.check_code(db, officer, code, secret_key)
        if not check.ok:
            action = "login_locked" if check.locked else "login_code_failed"
            detail = f"from {address}" + (" (code used before)" if check.replayed else "")
            await officer_repo.add_audit_event(db, officer=officer, action=action, detail=detail)
        else:
            old = session_token(request)
            if old:
                await sessions.end(db, old)
            await db.refresh(officer)
            active = await sessions.start(db, officer)
            how = "recovery code" if check.recovery_used else "code"
            await officer_repo.add_audit_event(
                db, officer=officer, action="login", detail=f"from {address} with {how}"
            )
    if not check.ok:
        key = "login_locked_code" if check.locked else "totp_wrong_code"
        return _form(request, next_url, error=ui(request, key), status=401)
    response = web.HTTPSeeOther(next_url)
    set_session_cookie(request, response, active.token)
    response.del_cookie(PENDING_COOKIE_NAME, path=_PATH)
    raise response
