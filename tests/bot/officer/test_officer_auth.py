"""Login, sessions, CSRF, roles and brute-force protection of the officer app."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, update

from bot.app import create_app
from medverk.clock import utcnow
from medverk.officers.accounts import MAX_FAILED_LOGINS
from medverk.settings import load_settings
from medverk.store.models import AuditEvent, Input, Officer, OfficerSession
from tests.bot.officer.support import PASSWORD, LoggedIn, OfficerClient

PAGES = [
    "/officer/",
    "/officer/inputs",
    "/officer/inputs?status=new&q=skatepark",
    "/officer/inputs/1",
    "/officer/inputs.csv",
    "/officer/report",
    "/officer/report?case=26/1001",
    "/officer/admin/officers",
    "/officer/admin/audit",
]
POSTS = [
    "/officer/logout",
    "/officer/inputs/1/read",
    "/officer/inputs/1/hide",
    "/officer/inputs/1/unhide",
    "/officer/inputs/1/note",
    "/officer/inputs/1/answer",
    "/officer/admin/officers",
    "/officer/admin/officers/1/disable",
    "/officer/admin/officers/1/reset-password",
]


@pytest.mark.parametrize("path", PAGES)
async def test_pages_send_strangers_to_login(officer_client: OfficerClient, path: str) -> None:
    """Every page redirects an unauthenticated visitor to the login form, keeping the target."""
    await officer_client.add_input()
    response = await officer_client.client.get(path, allow_redirects=False)
    assert response.status == 303
    assert unquote(response.headers["Location"]) == "/officer/login?next=" + path


@pytest.mark.parametrize("path", POSTS)
async def test_posts_by_strangers_change_nothing(officer_client: OfficerClient, path: str) -> None:
    """Every form target refuses an unauthenticated POST with a redirect to login."""
    input_id = await officer_client.add_input()
    response = await officer_client.client.post(
        path, data={"answer": "x", "reason": "x", "note": "x"}, allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == "/officer/login"
    async with officer_client.sessionmaker() as db:
        item = await db.get(Input, input_id)
        assert item is not None and item.status == "new" and item.answer is None


async def test_api_answers_401_json_to_strangers(officer_client: OfficerClient) -> None:
    """The JSON API never redirects: 401 with a JSON body."""
    response = await officer_client.client.get("/officer/api/inputs", allow_redirects=False)
    assert response.status == 401
    assert (await response.json()) == {"error": "login required"}


async def test_officer_root_without_slash_redirects(officer_client: OfficerClient) -> None:
    """/officer goes to /officer/."""
    response = await officer_client.client.get("/officer", allow_redirects=False)
    assert response.status == 301
    assert response.headers["Location"] == "/officer/"


async def test_login_page_is_norwegian_and_sets_safe_cookie(
    officer_client: OfficerClient,
) -> None:
    """The login form is in the configured målform; a good login sets a strict session cookie."""
    page = await officer_client.client.get("/officer/login")
    html = await page.text()
    assert '<html lang="nn">' in html
    assert "Brukarnamn" in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    response = await officer_client.login("ola")
    assert response.status == 303
    assert response.headers["Location"] == "/officer/inputs"
    cookie = next(c for c in response.headers.getall("Set-Cookie") if "medverk_officer=" in c)
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/officer/" in cookie
    assert "Max-Age=" not in cookie  # a session cookie; the server ends the session (F11)
    assert "Secure" not in cookie  # plain http in this test
    inbox = await officer_client.client.get("/officer/inputs")
    assert inbox.status == 200


async def _login_over_forwarded_https(client: TestClient) -> tuple[list[str], list[str]]:
    """Log in with X-Forwarded-Proto: https; the Set-Cookie headers of form and login."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = await client.get("/officer/login", headers=headers)
    token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
    assert token is not None
    # The test client speaks plain http, so it would not send a Secure cookie back itself.
    headers["Cookie"] = f"medverk_officer_login={token.group(1)}"
    form = {"login_token": token.group(1), "username": "ola", "password": PASSWORD}
    login = await client.post("/officer/login", data=form, headers=headers, allow_redirects=False)
    assert login.status == 303
    return page.headers.getall("Set-Cookie"), login.headers.getall("Set-Cookie")


async def test_cookie_is_secure_behind_a_trusted_https_proxy(
    officer_client: OfficerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-Forwarded-Proto: https counts only when MEDVERK_TRUSTED_PROXY_HOPS says a proxy is ours."""
    _, untrusted = await _login_over_forwarded_https(officer_client.client)
    assert not any("Secure" in cookie for cookie in untrusted)
    monkeypatch.setenv("MEDVERK_TRUSTED_PROXY_HOPS", "1")
    async with TestClient(TestServer(create_app(load_settings()))) as behind_proxy:
        form_cookies, login_cookies = await _login_over_forwarded_https(behind_proxy)
        setting = [c for c in form_cookies + login_cookies if "Max-Age=0" not in c]
        assert len(setting) == 2 and all("Secure" in cookie for cookie in setting)
        async with officer_client.sessionmaker() as db:
            event = await db.scalar(
                select(AuditEvent)
                .where(AuditEvent.action == "login")
                .order_by(AuditEvent.id.desc())
            )
        assert event is not None and event.detail == "from 203.0.113.9"


async def test_cookie_is_secure_when_public_url_is_https(
    officer_client: OfficerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MEDVERK_PUBLIC_URL=https://... marks every cookie Secure."""
    monkeypatch.setenv("MEDVERK_PUBLIC_URL", "https://medverk.example.no")
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        page = await client.get("/officer/login")
        assert all("Secure" in cookie for cookie in page.headers.getall("Set-Cookie"))


async def test_login_without_form_token_is_refused(officer_client: OfficerClient) -> None:
    """A login POST from another site (no double-submit token) is refused with 403."""
    response = await officer_client.client.post(
        "/officer/login", data={"username": "ola", "password": PASSWORD}, allow_redirects=False
    )
    assert response.status == 403
    assert "medverk_officer=" not in "".join(response.headers.getall("Set-Cookie", []))


async def test_wrong_password_is_refused_and_audited(officer_client: OfficerClient) -> None:
    """A wrong password gives 401, a generic message and an audit event."""
    response = await officer_client.login("ola", "feil passord heilt")
    assert response.status == 401
    assert "Feil brukarnamn eller passord" in await response.text()
    unknown = await officer_client.login("finst-ikkje", "feil passord heilt")
    assert unknown.status == 401
    async with officer_client.sessionmaker() as db:
        actions = (await db.scalars(select(AuditEvent.action))).all()
    assert actions.count("login_failed") == 2


async def test_brute_force_locks_the_account(officer_client: OfficerClient) -> None:
    """After MAX_FAILED_LOGINS wrong guesses even the right password fails until the lock ends."""
    for _ in range(MAX_FAILED_LOGINS):
        assert (await officer_client.login("ola", "gjetta passord 123")).status == 401
    locked = await officer_client.login("ola", PASSWORD)
    assert locked.status == 401
    async with officer_client.sessionmaker.begin() as db:
        officer = await db.scalar(select(Officer).where(Officer.username == "ola"))
        assert officer is not None and officer.locked_until is not None
        officer.locked_until = utcnow() - timedelta(seconds=1)
    assert (await officer_client.login("ola", PASSWORD)).status == 303


async def test_one_address_is_rate_limited(officer_client: OfficerClient) -> None:
    """Many failed logins from one address (across accounts) get 429."""
    from bot.officer import LOGIN_ATTEMPTS_PER_ADDRESS

    for number in range(LOGIN_ATTEMPTS_PER_ADDRESS):
        response = await officer_client.login(f"gjest{number}", "feil passord heilt")
        assert response.status == 401
    blocked = await officer_client.login("kari", PASSWORD)
    assert blocked.status == 429
    assert "For mange forsøk" in await blocked.text()


async def test_login_rotates_the_session(logged_in: LoggedIn) -> None:
    """Logging in again issues a new token and ends the old session."""
    client = await logged_in("ola")
    first = client.client.session.cookie_jar.filter_cookies(client.client.make_url("/officer/"))
    old_token = first["medverk_officer"].value
    again = await client.login("ola")
    assert again.status == 303
    cookies = client.client.session.cookie_jar.filter_cookies(client.client.make_url("/officer/"))
    assert cookies["medverk_officer"].value != old_token
    async with client.sessionmaker() as db:
        assert len((await db.scalars(select(OfficerSession))).all()) == 1


async def test_session_table_holds_no_usable_token(logged_in: LoggedIn) -> None:
    """Only a hash of the browser's token is stored."""
    client = await logged_in("ola")
    cookies = client.client.session.cookie_jar.filter_cookies(client.client.make_url("/officer/"))
    token = cookies["medverk_officer"].value
    async with client.sessionmaker() as db:
        stored = (await db.scalars(select(OfficerSession.token_hash))).all()
    assert token not in stored and len(stored[0]) == 64


async def test_expired_session_needs_a_new_login(logged_in: LoggedIn) -> None:
    """A session past its expiry no longer opens pages."""
    client = await logged_in("ola")
    async with client.sessionmaker.begin() as db:
        await db.execute(update(OfficerSession).values(expires_at=utcnow() - timedelta(minutes=1)))
    response = await client.client.get("/officer/inputs", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/officer/login")


async def test_logout_needs_csrf_and_ends_the_session(logged_in: LoggedIn) -> None:
    """Logout without the CSRF token is refused; with it the session is gone."""
    client = await logged_in("ola")
    refused = await client.client.post("/officer/logout", allow_redirects=False)
    assert refused.status == 403
    assert (await client.client.get("/officer/inputs")).status == 200
    token = await client.csrf()
    done = await client.client.post(
        "/officer/logout", data={"csrf_token": token}, allow_redirects=False
    )
    assert done.status == 303
    assert done.headers["Location"] == "/officer/login?logged_out=1"
    after = await client.client.get("/officer/inputs", allow_redirects=False)
    assert after.status == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/elsewhere"])
async def test_next_never_leaves_the_officer_app(
    officer_client: OfficerClient, target: str
) -> None:
    """An open redirect through ?next= is not possible."""
    page = await officer_client.client.get("/officer/login", params={"next": target})
    html = await page.text()
    assert 'name="next" value="/officer/inputs"' in html


async def test_disabled_officer_is_logged_out(logged_in: LoggedIn) -> None:
    """Disabling an account ends its open sessions at once."""
    from medverk.officers import accounts

    client = await logged_in("ola")
    async with client.sessionmaker.begin() as db:
        await accounts.disable_officer(db, "ola")
    response = await client.client.get("/officer/inputs", allow_redirects=False)
    assert response.status == 303
    assert (await client.login("ola")).status == 401


async def test_officer_role_cannot_open_admin_pages(logged_in: LoggedIn) -> None:
    """An officer gets 403 on admin pages and admin actions (with a valid CSRF token)."""
    client = await logged_in("ola")
    for path in ("/officer/admin/officers", "/officer/admin/audit"):
        response = await client.client.get(path)
        assert response.status == 403
        assert "Du har ikkje tilgang" in await response.text()
    token = await client.csrf()
    for path in (
        "/officer/admin/officers",
        "/officer/admin/officers/1/disable",
        "/officer/admin/officers/1/reset-password",
    ):
        response = await client.client.post(
            path,
            data={"csrf_token": token, "username": "ny", "password": PASSWORD},
            allow_redirects=False,
        )
        assert response.status == 403
    async with client.sessionmaker() as db:
        usernames = (await db.scalars(select(Officer.username))).all()
    assert sorted(usernames) == ["kari", "ola"]
