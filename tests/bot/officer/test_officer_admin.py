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


async def test_the_audit_log_names_actions_decodes_details_and_filters(
    logged_in: LoggedIn,
) -> None:
    """Action names in the app's målform, query strings decoded, and filters by part of a
    name (any case), by action and by days."""
    from datetime import timedelta

    from medverk.clock import utcnow
    from medverk.store.models import AuditEvent

    client = await logged_in("ola")
    async with client.sessionmaker.begin() as db:
        db.add_all(
            [
                AuditEvent(
                    officer_username="Kari.Nordmann",
                    action="export_csv",
                    target="inputs",
                    detail="case=26%2F411&status=new",
                    created_at=utcnow() - timedelta(days=10),
                ),
                AuditEvent(
                    officer_username="per",
                    action="view_input",
                    target="input:7",
                    detail="",
                    created_at=utcnow(),
                ),
            ]
        )
    await client.login("kari")  # an admin
    html = await (await client.client.get("/officer/admin/audit?who=nordm")).text()
    assert "Eksporterte til CSV" in html and "case: 26/411 · status: new" in html
    assert "input:7" not in html
    html = await (await client.client.get("/officer/admin/audit?action=view_input")).text()
    assert "Opna eit innspel" in html and "input:7" in html and "Kari.Nordmann" not in html
    today = utcnow().date()
    since = (today - timedelta(days=2)).isoformat()
    html = await (await client.client.get(f"/officer/admin/audit?since={since}")).text()
    assert "input:7" in html and "Kari.Nordmann" not in html
    until = (today - timedelta(days=5)).isoformat()
    html = await (await client.client.get(f"/officer/admin/audit?until={until}")).text()
    assert "Kari.Nordmann" in html and "input:7" not in html
    bad = await client.client.get("/officer/admin/audit?since=i+går&who=%25")
    assert bad.status == 200  # a bad date is ignored; "%" is a letter, not a wildcard
    assert "Kari.Nordmann" not in await bad.text()
