"""TOTP second factor in the officer app: login step, lock-out, replay, recovery, enrolment."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select, update

from medverk.clock import utcnow
from medverk.officers.accounts import MAX_FAILED_LOGINS
from medverk.store.models import AuditEvent, Officer, OfficerSession
from tests.bot.officer.support import PASSWORD, OfficerClient


async def _password_step(client: OfficerClient, username: str) -> str:
    page = await client.client.get("/officer/login")
    token = re.search(r'name="login_token" value="([^"]+)"', await page.text())
    assert token is not None
    response = await client.client.post(
        "/officer/login",
        data={"login_token": token.group(1), "username": username, "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status == 303
    location = response.headers["Location"]
    assert location.startswith("/officer/login/totp")
    return location


async def _sessions(client: OfficerClient) -> int:
    async with client.sessionmaker() as db:
        return len((await db.scalars(select(OfficerSession))).all())


async def _recovery_codes(client: OfficerClient) -> list[str]:
    """Enrol through the pages as the logged-in officer; the codes shown once."""
    page = await client.client.get("/officer/totp")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', await page.text())
    assert secret is not None
    confirmed = await client.client.post(
        "/officer/totp/confirm",
        data={
            "csrf_token": await client.csrf("/officer/totp"),
            "code": pyotp.TOTP(secret.group(1)).now(),
        },
    )
    assert confirmed.status == 200
    html = await confirmed.text()
    client.totp_secrets["ola"] = secret.group(1)
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>", html)


async def test_login_needs_a_valid_code(officer_client: OfficerClient) -> None:
    secret = officer_client.totp_secrets["kari"]
    location = await _password_step(officer_client, "kari")
    assert await _sessions(officer_client) == 0  # no session after the password alone
    assert (await officer_client.client.get("/officer/inputs", allow_redirects=False)).status == 303
    wrong = await officer_client.submit_code(
        "000000" if pyotp.TOTP(secret).now() != "000000" else "111111", location
    )
    assert wrong.status == 401
    assert await _sessions(officer_client) == 0
    good = await officer_client.submit_code(pyotp.TOTP(secret).now(), location)
    assert good.status == 303 and good.headers["Location"] == "/officer/inputs"
    assert (await officer_client.client.get("/officer/admin/officers")).status == 200


async def test_code_step_needs_the_password_step(officer_client: OfficerClient) -> None:
    secret = officer_client.totp_secrets["kari"]
    response = await officer_client.submit_code(pyotp.TOTP(secret).now())
    assert response.status == 303 and response.headers["Location"] == "/officer/login"
    assert await _sessions(officer_client) == 0


async def test_wrong_codes_lock_like_passwords(officer_client: OfficerClient) -> None:
    secret = officer_client.totp_secrets["kari"]
    location = await _password_step(officer_client, "kari")
    for _ in range(MAX_FAILED_LOGINS):
        assert (await officer_client.submit_code("abcdef", location)).status == 401
    locked = await officer_client.submit_code(pyotp.TOTP(secret).now(), location)
    assert locked.status == 401
    assert await _sessions(officer_client) == 0
    async with officer_client.sessionmaker() as db:
        kari = await db.scalar(select(Officer).where(Officer.username == "kari"))
        assert kari is not None and kari.locked_until is not None
        actions = (await db.scalars(select(AuditEvent.action))).all()
    assert "login_locked" in actions and "login_code_failed" in actions
    # The password step alone does not reset the count (it stays locked).
    assert (await officer_client.login("kari")).status == 401


async def test_a_replayed_code_is_refused(officer_client: OfficerClient) -> None:
    secret = officer_client.totp_secrets["kari"]
    code = pyotp.TOTP(secret).now()
    async with officer_client.sessionmaker.begin() as db:
        await db.execute(
            update(Officer).where(Officer.username == "kari").values(totp_last_step=None)
        )
    first = await officer_client.submit_code(code, await _password_step(officer_client, "kari"))
    assert first.status == 303
    officer_client.client.session.cookie_jar.clear()
    again = await officer_client.submit_code(code, await _password_step(officer_client, "kari"))
    assert again.status == 401
    async with officer_client.sessionmaker() as db:
        details = (await db.scalars(select(AuditEvent.detail))).all()
    assert any("code used before" in detail for detail in details)


async def test_drift_of_one_step_is_accepted(officer_client: OfficerClient) -> None:
    secret = officer_client.totp_secrets["kari"]
    location = await _password_step(officer_client, "kari")
    earlier = pyotp.TOTP(secret).at(utcnow() - timedelta(seconds=30))
    async with officer_client.sessionmaker.begin() as db:
        await db.execute(
            update(Officer).where(Officer.username == "kari").values(totp_last_step=None)
        )
    assert (await officer_client.submit_code(earlier, location)).status == 303


async def test_admin_without_totp_must_enrol_first(officer_client: OfficerClient) -> None:
    await officer_client.add_officer("per", "officer")
    async with officer_client.sessionmaker.begin() as db:
        await db.execute(update(Officer).where(Officer.username == "per").values(role="admin"))
    response = await officer_client.login("per")
    assert response.status == 303  # a session, but only the enrolment page works
    for path in (
        "/officer/admin/officers",
        "/officer/admin/audit",
        "/officer/inputs",
        "/officer/settings",
    ):
        blocked = await officer_client.client.get(path, allow_redirects=False)
        assert blocked.status == 303 and blocked.headers["Location"] == "/officer/totp", path
    api = await officer_client.client.get("/officer/api/inputs", allow_redirects=False)
    assert api.status == 403
    page = await officer_client.client.get("/officer/totp")
    html = await page.text()
    uri = re.search(r'id="totp-uri">([^<]+)<', html)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html)
    assert uri is not None and secret is not None
    assert uri.group(1).startswith("otpauth://totp/Medverk:per?secret=")
    csrf = await officer_client.csrf("/officer/totp")
    bad = await officer_client.client.post(
        "/officer/totp/confirm", data={"csrf_token": csrf, "code": "12"}
    )
    assert bad.status == 400
    assert (
        await officer_client.client.get("/officer/admin/officers", allow_redirects=False)
    ).status == 303
    good = await officer_client.client.post(
        "/officer/totp/confirm",
        data={"csrf_token": csrf, "code": pyotp.TOTP(secret.group(1)).now()},
    )
    assert good.status == 200
    assert (await officer_client.client.get("/officer/admin/officers")).status == 200
    async with officer_client.sessionmaker() as db:
        per = await db.scalar(select(Officer).where(Officer.username == "per"))
        assert per is not None and per.totp_confirmed
        assert per.totp_secret is not None and secret.group(1) not in per.totp_secret
        actions = (await db.scalars(select(AuditEvent.action))).all()
    assert "totp_enabled" in actions


async def test_officer_enrols_uses_a_recovery_code_once_and_disables(
    officer_client: OfficerClient,
) -> None:
    assert (await officer_client.login("ola")).status == 303
    codes = await _recovery_codes(officer_client)
    assert len(codes) == 10 and len(set(codes)) == 10
    async with officer_client.sessionmaker() as db:
        ola = await db.scalar(select(Officer).where(Officer.username == "ola"))
        assert ola is not None and codes[0] not in ola.totp_recovery  # stored hashed
    officer_client.client.session.cookie_jar.clear()
    first = await officer_client.submit_code(codes[0], await _password_step(officer_client, "ola"))
    assert first.status == 303
    officer_client.client.session.cookie_jar.clear()
    again = await officer_client.submit_code(codes[0], await _password_step(officer_client, "ola"))
    assert again.status == 401
    # Turning it off needs a code (and a recent login, which this one is).
    assert (await officer_client.login("ola")).status == 303
    csrf = await officer_client.csrf("/officer/totp")
    refused = await officer_client.client.post(
        "/officer/totp/disable", data={"csrf_token": csrf, "code": "x"}
    )
    assert refused.status == 400
    async with officer_client.sessionmaker.begin() as db:
        await db.execute(
            update(Officer).where(Officer.username == "ola").values(totp_last_step=None)
        )
    secret = officer_client.totp_secrets.pop("ola")
    off = await officer_client.client.post(
        "/officer/totp/disable", data={"csrf_token": csrf, "code": pyotp.TOTP(secret).now()}
    )
    assert off.status == 200
    officer_client.client.session.cookie_jar.clear()
    assert (await officer_client.login("ola")).headers["Location"] == "/officer/inputs"
    async with officer_client.sessionmaker() as db:
        actions = (await db.scalars(select(AuditEvent.action))).all()
    assert "totp_disabled" in actions


async def test_admin_cannot_disable_and_old_login_must_reauthenticate(
    officer_client: OfficerClient,
) -> None:
    assert (await officer_client.login("kari")).status == 303
    csrf = await officer_client.csrf("/officer/totp")
    secret = officer_client.totp_secrets["kari"]
    response = await officer_client.client.post(
        "/officer/totp/disable", data={"csrf_token": csrf, "code": pyotp.TOTP(secret).now()}
    )
    assert response.status == 400
    assert (await officer_client.login("ola")).status == 303
    await _recovery_codes(officer_client)
    async with officer_client.sessionmaker.begin() as db:
        await db.execute(update(OfficerSession).values(created_at=utcnow() - timedelta(hours=1)))
    csrf = await officer_client.csrf("/officer/totp")
    stale = await officer_client.client.post(
        "/officer/totp/disable",
        data={"csrf_token": csrf, "code": pyotp.TOTP(officer_client.totp_secrets["ola"]).now()},
        allow_redirects=False,
    )
    assert stale.status == 303 and "reauth=1" in stale.headers["Location"]
