"""F11: the session cookie's name, scope and lifetime on https and on plain http."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from medverk.settings import load_settings
from tests.bot.officer.support import PASSWORD, OfficerClient


def _session_cookie(cookies: list[str]) -> str:
    found = [c for c in cookies if re.match(r"(__Host-)?medverk_officer=", c)]
    assert len(found) == 1, cookies
    return found[0]


async def test_plain_http_keeps_the_plain_name_and_no_max_age(
    officer_client: OfficerClient,
) -> None:
    response = await officer_client.login("ola")
    assert response.status == 303
    cookie = _session_cookie(response.headers.getall("Set-Cookie"))
    assert cookie.startswith("medverk_officer=")
    assert "Path=/officer/" in cookie
    assert "Max-Age" not in cookie and "expires" not in cookie.lower()
    assert "Secure" not in cookie
    assert (await officer_client.client.get("/officer/inputs")).status == 200


async def test_https_public_url_uses_the_host_prefix(
    officer_client: OfficerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDVERK_PUBLIC_URL", "https://medverk.example.no")
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        page = await client.get("/officer/login")
        token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
        assert token is not None
        login_cookie = [c for c in page.headers.getall("Set-Cookie") if "officer_login=" in c]
        assert len(login_cookie) == 1 and login_cookie[0].startswith(
            "__Host-medverk_officer_login="
        )
        assert "Path=/;" in login_cookie[0] + ";" and "Secure" in login_cookie[0]
        form = {"login_token": token.group(1), "username": "ola", "password": PASSWORD}
        # A sibling sub-domain can plant the unprefixed name, never the __Host- one: the
        # unprefixed token is not taken on https (login CSRF by cookie tossing, F11).
        client.session.cookie_jar.clear()
        tossed = await client.post(
            "/officer/login",
            data=form,
            headers={"Cookie": f"medverk_officer_login={token.group(1)}"},
            allow_redirects=False,
        )
        assert tossed.status == 403
        headers = {"Cookie": f"__Host-medverk_officer_login={token.group(1)}"}
        login = await client.post(
            "/officer/login", data=form, headers=headers, allow_redirects=False
        )
        assert login.status == 303
        cookie = _session_cookie(login.headers.getall("Set-Cookie"))
        name, _, rest = cookie.partition("=")
        assert name == "__Host-medverk_officer"
        attributes = [part.strip() for part in rest.split(";")[1:]]
        assert "Path=/" in attributes and "Secure" in attributes and "HttpOnly" in attributes
        assert not any(a.lower().startswith(("domain", "max-age", "expires")) for a in attributes)
        session = rest.split(";")[0]
        # The test client speaks http and keeps Secure cookies to itself: send it by hand.
        client.session.cookie_jar.clear()
        inbox = await client.get(
            "/officer/inputs", headers={"Cookie": f"{name}={session}"}, allow_redirects=False
        )
        assert inbox.status == 200
        plain = await client.get(
            "/officer/inputs",
            headers={"Cookie": f"medverk_officer={session}"},
            allow_redirects=False,
        )
        assert plain.status == 303  # the unprefixed name is not read on https
        logout_page = await inbox.text()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', logout_page)
        assert csrf is not None
        out = await client.post(
            "/officer/logout",
            data={"csrf_token": csrf.group(1)},
            headers={"Cookie": f"{name}={session}"},
            allow_redirects=False,
        )
        cleared = _session_cookie(out.headers.getall("Set-Cookie"))
        assert cleared.startswith("__Host-medverk_officer=") and "Path=/;" in cleared + ";"
