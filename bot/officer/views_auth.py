"""Log in and log out."""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import (
    PREFIX,
    clear_session_cookie,
    client_address,
    current,
    enrolment_page,
    is_https,
    login_cookie_name,
    login_cookie_path,
    safe_next,
    session_token,
    set_session_cookie,
)
from bot.officer.keys import LOGIN_IN_FLIGHT, LOGIN_LIMITER
from bot.officer.render import page, ui
from bot.officer.views_totp_login import second_step
from medverk.officers import accounts, sessions
from medverk.store import officer_repo

__all__ = ["login_form", "login_submit", "logout"]

MAX_FIELD = 1024


def _login_page(
    request: web.Request, *, error: str = "", status: int = 200, next_url: str = ""
) -> web.Response:
    token = secrets.token_urlsafe(32)
    notice = ""
    if request.query.get("logged_out"):
        notice = ui(request, "logged_out")
    elif request.query.get("password_set"):
        notice = ui(request, "password_set_done")
    elif request.query.get("reauth"):
        notice = ui(request, "reauth_needed")
    response = page(
        request,
        "login.html",
        {"error": error, "notice": notice, "login_token": token, "next": next_url},
        status=status,
        logged_in=False,
    )
    response.set_cookie(
        login_cookie_name(request),
        token,
        path=login_cookie_path(request),
        httponly=True,
        samesite="Strict",
        secure=is_https(request) or login_cookie_path(request) == "/",
        max_age=3600,
    )
    return response


async def login_form(request: web.Request) -> web.Response:
    """GET /officer/login: the login form."""
    return _login_page(request, next_url=safe_next(request.query.get("next")))


async def login_submit(request: web.Request) -> web.Response:
    """POST /officer/login: check the password, start a fresh session."""
    form = await request.post()
    sent_token = str(form.get("login_token", ""))
    cookie_token = request.cookies.get(login_cookie_name(request), "")
    next_url = safe_next(str(form.get("next", "")))
    if not sent_token or not hmac.compare_digest(sent_token.encode(), cookie_token.encode()):
        return _login_page(request, error=ui(request, "csrf_failed"), status=403, next_url=next_url)
    limiter = request.config_dict[LOGIN_LIMITER]
    address = client_address(request)
    # Count the attempt before checking it; a good password gives the slot back.
    if not limiter.reserve(address):
        return _login_page(
            request, error=ui(request, "login_rate_limited"), status=429, next_url=next_url
        )
    username = str(form.get("username", ""))[:MAX_FIELD]
    password = str(form.get("password", ""))[:MAX_FIELD]
    in_flight = request.config_dict[LOGIN_IN_FLIGHT]
    async with (
        in_flight.one_at_a_time("address:" + address, "account:" + username.strip().lower()),
        request.config_dict[SESSIONMAKER].begin() as db,
    ):
        result = await accounts.authenticate(db, username, password)
        if result.officer is None:
            await officer_repo.add_audit_event(
                db,
                officer=None,
                # What was typed is recorded only when it names an account: people type
                # their password into the username field (F19).
                username=username.strip().lower()[:100] if result.known else "(unknown)",
                action="login_locked" if result.locked else "login_failed",
                detail=f"from {address}",
            )
        elif result.officer.totp_confirmed:
            await officer_repo.add_audit_event(
                db, officer=result.officer, action="login_password_ok", detail=f"from {address}"
            )
        else:
            old = session_token(request)
            if old:
                await sessions.end(db, old)
            active = await sessions.start(db, result.officer)
            await officer_repo.add_audit_event(
                db, officer=result.officer, action="login", detail=f"from {address}"
            )
    if result.officer is None:
        return _login_page(
            request, error=ui(request, "login_failed"), status=401, next_url=next_url
        )
    limiter.release(address)
    if result.officer.totp_confirmed:
        raise second_step(request, result.officer.id, next_url)
    response = web.HTTPSeeOther(next_url)
    set_session_cookie(request, response, active.token)
    response.del_cookie(login_cookie_name(request), path=login_cookie_path(request))
    raise response


@enrolment_page
async def logout(request: web.Request) -> web.Response:
    """POST /officer/logout: end the session."""
    token = session_token(request)
    async with request.config_dict[SESSIONMAKER].begin() as db:
        await officer_repo.add_audit_event(db, officer=current(request).officer, action="logout")
        await sessions.end(db, token)
    response = web.HTTPSeeOther(PREFIX + "/login?logged_out=1")
    clear_session_cookie(request, response)
    raise response
