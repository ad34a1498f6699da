"""Who is logged in: session cookie, role checks and CSRF for the officer app.

Pages send an unauthenticated visitor to the login page; the JSON API answers
401 with a JSON body. A logged-in officer without the needed role gets 403.
Every POST must carry the session's CSRF token (form field `csrf_token` or
header `X-CSRF-Token`); SameSite=Strict cookies are a second line of defence.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from bot.keys import SESSIONMAKER, SETTINGS
from bot.proxy import client_ip
from medverk.officers import sessions
from medverk.officers.sessions import ActiveSession

__all__ = [
    "COOKIE_NAME",
    "CSRF_REASON",
    "LOGIN_COOKIE_NAME",
    "PREFIX",
    "Handler",
    "admin_page",
    "api",
    "check_csrf",
    "clear_session_cookie",
    "client_address",
    "current",
    "enrolment_page",
    "is_https",
    "login_cookie_name",
    "login_cookie_path",
    "officer_page",
    "safe_next",
    "session_cookie_name",
    "session_token",
    "set_session_cookie",
]

PREFIX = "/officer"
COOKIE_NAME = "medverk_officer"
# With an https public URL the browser only accepts this name Secure, Path=/, host-only (F11).
HOST_COOKIE_NAME = "__Host-" + COOKIE_NAME
# Double-submit token for the login form, where there is no session yet; on https with the
# `__Host-` prefix too, so a sibling sub-domain cannot plant its own token (login CSRF, F11).
LOGIN_COOKIE_NAME = "medverk_officer_login"
HOST_LOGIN_COOKIE_NAME = "__Host-" + LOGIN_COOKIE_NAME
CSRF_REASON = "CSRF token missing or wrong"
_SESSION_KEY = web.RequestKey("officer_session", ActiveSession)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _behind_proxy(request: web.Request) -> int:
    return request.config_dict[SETTINGS].trusted_proxy_hops


def is_https(request: web.Request) -> bool:
    """Whether the browser talks HTTPS to us (directly, by config, or via our own proxy)."""
    if request.secure or request.config_dict[SETTINGS].public_url.startswith("https://"):
        return True
    if _behind_proxy(request) > 0:
        return request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip() == "https"
    return False


def client_address(request: web.Request) -> str:
    """The client's address; behind N trusted proxies, the one the outermost proxy saw."""
    return client_ip(request)


def _host_prefixed(request: web.Request) -> bool:
    return request.config_dict[SETTINGS].public_url.startswith("https://")


def session_cookie_name(request: web.Request) -> str:
    """`__Host-medverk_officer` when the public URL is https, else `medverk_officer` (F11)."""
    return HOST_COOKIE_NAME if _host_prefixed(request) else COOKIE_NAME


def login_cookie_name(request: web.Request) -> str:
    """The login form's token cookie: `__Host-` prefixed when the public URL is https."""
    return HOST_LOGIN_COOKIE_NAME if _host_prefixed(request) else LOGIN_COOKIE_NAME


def login_cookie_path(request: web.Request) -> str:
    """`/` for a `__Host-` cookie (the browser demands it), else the login page's path."""
    return "/" if _host_prefixed(request) else PREFIX + "/login"


def _cookie_path(request: web.Request) -> str:
    return "/" if _host_prefixed(request) else PREFIX + "/"


def set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """Give the browser its session token: HttpOnly, SameSite=Strict, Secure on HTTPS.

    A session cookie (no Max-Age): it ends with the browser, and the server ends the
    session after `sessions.IDLE_TIMEOUT` idle or `sessions.MAX_AGE` in all (F11).
    """
    response.set_cookie(
        session_cookie_name(request),
        token,
        path=_cookie_path(request),
        httponly=True,
        samesite="Strict",
        secure=is_https(request) or _host_prefixed(request),
    )


def clear_session_cookie(request: web.Request, response: web.StreamResponse) -> None:
    """Remove the session cookie from the browser."""
    response.del_cookie(
        session_cookie_name(request),
        path=_cookie_path(request),
        secure=_host_prefixed(request),
        httponly=True,
        samesite="Strict",
    )


def session_token(request: web.Request) -> str:
    """The session token the browser sent ("" when none)."""
    return request.cookies.get(session_cookie_name(request), "")


def current(request: web.Request) -> ActiveSession:
    """The session resolved by the decorator of the running handler."""
    return request[_SESSION_KEY]


async def _resolve(request: web.Request) -> ActiveSession | None:
    token = session_token(request)
    if not token:
        return None
    async with request.config_dict[SESSIONMAKER].begin() as db:
        return await sessions.resume(db, token)


def safe_next(target: str | None) -> str:
    """A redirect target inside the officer app, never another site."""
    if (
        target
        and target.startswith(PREFIX + "/")
        and not any(bad in target for bad in ("\\", "\n", "\r", "//"))
    ):
        return target
    return PREFIX + "/inputs"


async def check_csrf(request: web.Request, active: ActiveSession) -> None:
    """Refuse (403) a state-changing request without the session's CSRF token."""
    sent = request.headers.get("X-CSRF-Token", "")
    if not sent and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = await request.post()
        value = form.get("csrf_token", "")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent.encode(), active.csrf_token.encode()):
        raise web.HTTPForbidden(reason=CSRF_REASON)


def _guard(
    *, admin: bool, api_style: bool, enrolment: bool = False
) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            active = await _resolve(request)
            if active is None:
                if api_style:
                    raise web.HTTPUnauthorized(
                        text='{"error": "login required"}', content_type="application/json"
                    )
                target = request.path_qs if request.method == "GET" else ""
                location = PREFIX + "/login"
                if target:
                    location += "?next=" + quote(target, safe="")
                response = web.HTTPSeeOther(location)
                if session_token(request):
                    clear_session_cookie(request, response)
                raise response
            if (
                active.officer.role == "admin"
                and not active.officer.totp_confirmed
                and not enrolment
            ):
                # An admin must have a second factor before any other page (F6).
                if api_style:
                    raise web.HTTPForbidden(
                        text='{"error": "second factor required"}',
                        content_type="application/json",
                    )
                raise web.HTTPSeeOther(PREFIX + "/totp")
            if admin and active.officer.role != "admin":
                if api_style:
                    raise web.HTTPForbidden(
                        text='{"error": "admin role required"}', content_type="application/json"
                    )
                raise web.HTTPForbidden(reason="admin role required")
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                await check_csrf(request, active)
            request[_SESSION_KEY] = active
            return await handler(request)

        return wrapper

    return decorate


officer_page = _guard(admin=False, api_style=False)
admin_page = _guard(admin=True, api_style=False)
api = _guard(admin=False, api_style=True)
# The second-factor settings page, which an admin without one must still reach.
enrolment_page = _guard(admin=False, api_style=False, enrolment=True)
