"""F6: an officer changes their own password; the current one is asked, other sessions end."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import create_app
from medverk.settings import load_settings
from medverk.store.models import AuditEvent, OfficerSession
from tests.bot.officer.support import PASSWORD, LoggedIn, OfficerClient

NEW = "sommar ved fjorden i Sogn"


async def _change(client: OfficerClient, current: str, new: str, again: str | None = None) -> int:
    token = await client.csrf("/officer/password")
    response = await client.client.post(
        "/officer/password",
        data={
            "csrf_token": token,
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
        },
    )
    return response.status


async def test_change_own_password_ends_other_sessions(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    async with TestClient(TestServer(create_app(load_settings()))) as other_browser:
        other = OfficerClient(client=other_browser, sessionmaker=client.sessionmaker)
        assert (await other.login("ola")).status == 303
        assert await _change(client, "feil passord heilt", NEW) == 400  # wrong current
        assert await _change(client, PASSWORD, NEW, again="noko anna heilt") == 400
        assert await _change(client, PASSWORD, "ola-ola-ola-ola") == 400  # too weak
        assert await _change(client, PASSWORD, NEW) == 200
        # The other browser is logged out; this one stays in.
        gone = await other_browser.get("/officer/inputs", allow_redirects=False)
        assert gone.status == 303
    assert (await client.client.get("/officer/inputs")).status == 200
    async with client.sessionmaker() as db:
        assert len((await db.scalars(select(OfficerSession))).all()) == 1
        actions = (await db.scalars(select(AuditEvent.action))).all()
    assert "password_changed" in actions
    assert (await client.login("ola", PASSWORD)).status == 401
    assert (await client.login("ola", NEW)).status == 303


async def test_strangers_cannot_change_a_password(officer_client: OfficerClient) -> None:
    response = await officer_client.client.post(
        "/officer/password",
        data={"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW},
        allow_redirects=False,
    )
    assert response.status == 303
    assert (await officer_client.login("ola", NEW)).status == 401
