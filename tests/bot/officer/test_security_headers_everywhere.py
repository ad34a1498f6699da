"""Security headers checked on every page type the gateway serves (review T41, kept true).

Public pages, the widget's files, health, JSON and CSV, the officer app logged in and
out, static files, and error answers (400, 404, 405, 415): every one carries the full
set of security headers and no server banner; officer pages are never cached.
"""

from __future__ import annotations

import pytest

from bot.security import SECURITY_HEADERS
from tests.bot.officer.support import LoggedIn

PUBLIC = {
    "demo page": ("GET", "/", 200),
    "privacy page": ("GET", "/personvern", 200),
    "widget script": ("GET", "/widget.js", 200),
    "widget style": ("GET", "/widget.css", 200),
    "demo style": ("GET", "/demo.css", 200),
    "health": ("GET", "/healthz", None),
    "login form": ("GET", "/officer/login", 200),
    "officer static": ("GET", "/officer/static/officer.css", 200),
    "gateway 404": ("GET", "/finst-ikkje", 404),
    "officer 404": ("GET", "/officer/finst-ikkje", 404),
    "chat 415": ("POST", "/api/chat", 415),
    "chat 405": ("GET", "/api/chat", 405),
}
OFFICER = {
    "inbox": "/officer/inputs",
    "input detail": "/officer/inputs/{input_id}",
    "csv export": "/officer/inputs.csv",
    "json api": "/officer/api/inputs",
    "admin users": "/officer/admin/officers",
    "audit log": "/officer/admin/audit",
    "settings": "/officer/settings",
    "officer 404 logged in": "/officer/inputs/999999",
}


def _check(headers: object, what: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        got = headers.get(name)  # type: ignore[attr-defined]
        assert got, f"{what}: {name} missing"
        if name != "Cross-Origin-Resource-Policy":  # the widget's files are cross-origin
            assert got == value, f"{what}: {name} is {got!r}"
    server = headers.get("Server", "")  # type: ignore[attr-defined]
    assert "aiohttp" not in server and "Python" not in server, f"{what}: banner {server!r}"


@pytest.mark.parametrize("what", sorted(PUBLIC))
async def test_public_page_types(logged_in: LoggedIn, what: str) -> None:
    client = await logged_in("kari")
    method, path, status = PUBLIC[what]
    response = await client.client.request(method, path, data=b"x", allow_redirects=False)
    if status is not None:
        assert response.status == status, what
    _check(response.headers, what)


async def test_officer_page_types(logged_in: LoggedIn) -> None:
    client = await logged_in("kari")
    input_id = await client.add_input()
    for what, path in OFFICER.items():
        response = await client.client.get(path.format(input_id=input_id), allow_redirects=False)
        assert response.status in (200, 404), (what, response.status)
        _check(response.headers, what)
        assert "no-store" in response.headers.get("Cache-Control", ""), what
