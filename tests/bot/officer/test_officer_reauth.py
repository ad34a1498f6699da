"""F6: admin actions on accounts need a recent login (re-authentication)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from medverk.clock import utcnow
from medverk.store.models import Officer, OfficerSession
from tests.bot.officer.support import LoggedIn

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


async def test_an_old_admin_session_must_log_in_again(logged_in: LoggedIn) -> None:
    client = await logged_in("kari")
    token = await client.csrf("/officer/admin/officers")
    async with client.sessionmaker.begin() as db:
        await db.execute(update(OfficerSession).values(created_at=utcnow() - timedelta(minutes=11)))
        ola = await db.scalar(select(Officer).where(Officer.username == "ola"))
        assert ola is not None
    for path, data in (
        (f"/officer/admin/officers/{ola.id}/disable", {}),
        (f"/officer/admin/officers/{ola.id}/reset-password", {}),
        ("/officer/admin/officers", {"username": "ny", "role": "admin"}),
    ):
        response = await client.client.post(
            path, data={"csrf_token": token, **data}, allow_redirects=False
        )
        assert response.status == 303, path
        assert response.headers["Location"].startswith("/officer/login?next=")
    async with client.sessionmaker() as db:
        names = (await db.scalars(select(Officer.username))).all()
        still = await db.scalar(select(Officer).where(Officer.username == "ola"))
    assert sorted(names) == ["kari", "ola"] and still is not None and still.active
    # A fresh login opens the window again.
    await logged_in("kari")
    token = await client.csrf("/officer/admin/officers")
    done = await client.client.post(
        f"/officer/admin/officers/{ola.id}/disable", data={"csrf_token": token}
    )
    assert done.status == 200


async def test_the_login_form_says_why(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    page = await client.client.get("/officer/login?reauth=1")
    assert "nettopp har logga inn" in await page.text()
    page = await client.client.get("/officer/login?password_set=1")
    assert "Passordet er lagra" in await page.text()
