"""Admin pages: accounts and the audit log."""

from __future__ import annotations

import re

from sqlalchemy import select

from medverk.store.models import Officer
from tests.bot.officer.support import PASSWORD, LoggedIn


async def _officer(client: object, username: str) -> Officer:
    async with client.sessionmaker() as db:  # type: ignore[attr-defined]
        officer = await db.scalar(select(Officer).where(Officer.username == username))
        assert officer is not None
        return officer


async def test_admin_creates_an_officer_who_can_log_in(logged_in: LoggedIn) -> None:
    """An admin adds an account through the form and gets a one-time link (never a password);
    the new officer sets the password with it and can log in."""
    client = await logged_in("kari")
    page = await client.client.get("/officer/admin/officers")
    assert page.status == 200 and "Opprett brukar" in await page.text()
    token = await client.csrf("/officer/admin/officers")
    created = await client.client.post(
        "/officer/admin/officers",
        data={"csrf_token": token, "username": "Per", "password": PASSWORD, "role": "officer"},
    )
    html = await created.text()
    assert created.status == 200 and "Brukaren per er oppretta." in html
    link = re.search(r"http://[^ <]+(/officer/set-password/[0-9a-f.]+)", html)
    assert link is not None
    form = {"new_password": PASSWORD, "new_password_again": PASSWORD}
    assert (await client.client.post(link.group(1), data=form, allow_redirects=False)).status == 303
    duplicate = await client.client.post(
        "/officer/admin/officers",
        data={"csrf_token": token, "username": "per", "password": PASSWORD, "role": "officer"},
    )
    assert duplicate.status == 400
    odd = await client.client.post(
        "/officer/admin/officers",
        data={"csrf_token": token, "username": "<b>x</b>", "role": "admin"},
    )
    assert odd.status == 400 and "Kunne ikkje lagre" in await odd.text()
    assert (await client.login("per")).status == 303


async def test_admin_disables_and_resets(logged_in: LoggedIn) -> None:
    """Disable ends the account's access; reset gives a one-time set-password link (no
    password is ever shown to the admin: F6)."""
    client = await logged_in("kari")
    ola = await _officer(client, "ola")
    token = await client.csrf("/officer/admin/officers")
    reset = await client.client.post(
        f"/officer/admin/officers/{ola.id}/reset-password", data={"csrf_token": token}
    )
    html = await reset.text()
    match = re.search(r"http://[^ <]+/officer/set-password/([0-9a-f.]+)", html)
    assert match is not None and "Nytt passord for" not in html
    new_password = "sommar ved fjorden i Sogn"
    link = f"/officer/set-password/{match.group(1)}"
    assert (await client.client.get(link)).status == 200
    form = {"new_password": new_password, "new_password_again": new_password}
    used = await client.client.post(link, data=form, allow_redirects=False)
    assert used.status == 303
    assert (await client.client.post(link, data=form)).status == 404  # works once
    disabled = await client.client.post(
        f"/officer/admin/officers/{ola.id}/disable", data={"csrf_token": token}
    )
    assert disabled.status == 200
    assert not (await _officer(client, "ola")).active
    kari = await _officer(client, "kari")
    self_disable = await client.client.post(
        f"/officer/admin/officers/{kari.id}/disable", data={"csrf_token": token}
    )
    assert self_disable.status == 400
    assert (await client.login("ola", new_password)).status == 401  # disabled after the reset
    missing = await client.client.post(
        "/officer/admin/officers/9999/disable", data={"csrf_token": token}
    )
    assert missing.status == 404


async def test_admin_reads_the_audit_log(logged_in: LoggedIn) -> None:
    """The audit log lists who viewed which input, filterable by officer."""
    client = await logged_in("ola")
    input_id = await client.add_input()
    await client.client.get(f"/officer/inputs/{input_id}")
    await client.login("kari")
    page = await client.client.get("/officer/admin/audit?who=ola")
    html = await page.text()
    assert page.status == 200
    assert "view_input" in html and f"input:{input_id}" in html
    assert "<td>kari</td>" not in html
