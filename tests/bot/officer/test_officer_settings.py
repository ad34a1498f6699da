"""The admin settings page: who may use it, checks, audit, and that changes take effect."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from bot import retention_job
from bot.keys import SETTINGS
from medverk.clock import utcnow
from medverk.store.models import AdminSetting, AuditEvent, Input
from tests.bot.officer.support import LoggedIn, OfficerClient

SAMPLE_EMAIL = "ungdomskontakt@eksempelvik.example"


@pytest.fixture(autouse=True)
def _no_contact_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defaults come from contact.yml and the built-in values, whatever the shell has."""
    for name in (
        "MEDVERK_CONTACT_NAME",
        "MEDVERK_CONTACT_EMAIL",
        "MEDVERK_CONTACT_PHONE",
        "MEDVERK_RETENTION_DAYS",
        "MEDVERK_RETENTION_MODE",
        "MEDVERK_ALLOWED_ORIGINS",
    ):
        monkeypatch.delenv(name, raising=False)


def _form(token: str, **changes: str) -> dict[str, str]:
    """The settings form as the page fills it in by default, with `changes`."""
    form = {
        "csrf_token": token,
        "contact_name": "Ungdomskontakten i Eksempelvik kommune",
        "contact_email": SAMPLE_EMAIL,
        "contact_phone": "",
        "default_malform": "nn",
        "retention_days": "365",
        "retention_mode": "anonymise",
        "allowed_origins": "",
    }
    form.update(changes)
    return form


async def _stored(client: OfficerClient) -> dict[str, str]:
    async with client.sessionmaker() as db:
        return {row.key: row.value for row in await db.scalars(select(AdminSetting))}


async def _audit(client: OfficerClient) -> list[tuple[str, str, str, str]]:
    async with client.sessionmaker() as db:
        rows = await db.scalars(
            select(AuditEvent).where(AuditEvent.action.like("setting_%")).order_by(AuditEvent.id)
        )
        return [(r.officer_username, r.action, r.target, r.detail) for r in rows]


async def test_anonymous_visitors_are_sent_to_login(officer_client: OfficerClient) -> None:
    """Without a session the page and the form send the visitor to the login page."""
    page = await officer_client.client.get("/officer/settings", allow_redirects=False)
    assert page.status == 303
    assert unquote(page.headers["Location"]) == "/officer/login?next=/officer/settings"
    post = await officer_client.client.post(
        "/officer/settings", data=_form("x"), allow_redirects=False
    )
    assert post.status == 303 and post.headers["Location"] == "/officer/login"
    assert await _stored(officer_client) == {}


async def test_officers_without_admin_role_get_403(logged_in: LoggedIn) -> None:
    """A case officer sees neither the page, the form's effect, nor the nav link."""
    client = await logged_in("ola")
    inbox = await (await client.client.get("/officer/inputs")).text()
    assert "/officer/settings" not in inbox
    page = await client.client.get("/officer/settings")
    assert page.status == 403 and "ikkje tilgang" in await page.text()
    token = await client.csrf()
    post = await client.client.post(
        "/officer/settings", data=_form(token, contact_email="meg@privat.example")
    )
    assert post.status == 403
    reset = await client.client.post(
        "/officer/settings/reset", data={"csrf_token": token, "reset": "contact_email"}
    )
    assert reset.status == 403
    assert await _stored(client) == {}


async def test_admin_sees_settings_defaults_and_no_secrets(logged_in: LoggedIn) -> None:
    """The page shows values, where their defaults come from, the answer preview and
    the fixed settings, without the secret key or internal service addresses."""
    client = await logged_in("kari")
    page = await client.client.get("/officer/settings")
    html = await page.text()
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    assert '<a href="/officer/settings">Innstillingar</a>' in html
    assert f'value="{SAMPLE_EMAIL}"' in html
    assert "frå kunnskapsfila contact.yml" in html
    assert "Standard: 365 (innebygd)" in html
    assert f"E-post: {SAMPLE_EMAIL}" in html  # the preview of the assistant's answer
    assert 'id="s-retention_mode-anonymise" name="retention_mode" type="radio"' in html
    assert re.search(r'id="s-retention_mode-anonymise"[^>]*checked', html)
    assert 'aria-describedby="s-contact_email-help"' in html
    settings = client.client.server.app[SETTINGS]
    assert settings.secret_key not in html and settings.database_url not in html
    assert settings.rasa_url not in html and settings.action_server_url not in html
    kind = "PostgreSQL" if settings.database_url.startswith("postgresql") else "SQLite"
    assert f"<dt>Database</dt><dd>{kind}</dd>" in html


async def test_post_without_csrf_is_refused(logged_in: LoggedIn) -> None:
    """A form without the session's token changes nothing."""
    client = await logged_in("kari")
    form = _form("", contact_email="ung@kommune.example")
    del form["csrf_token"]
    response = await client.client.post("/officer/settings", data=form)
    assert response.status == 403 and "Skjemaet er for gammalt" in await response.text()
    wrong = await client.client.post("/officer/settings", data=_form("feil"))
    assert wrong.status == 403
    reset = await client.client.post("/officer/settings/reset", data={"reset": "contact_email"})
    assert reset.status == 403
    assert await _stored(client) == {} and await _audit(client) == []


async def test_valid_change_is_stored_audited_and_in_force(logged_in: LoggedIn) -> None:
    """Saved values are stored, each change audited old → new, and used at once by the
    privacy page, the CORS check and the retention job."""
    client = await logged_in("kari")
    input_id = await client.add_input(created_at=utcnow() - timedelta(days=40))
    token = await client.csrf("/officer/settings")
    response = await client.client.post(
        "/officer/settings",
        data=_form(
            token,
            contact_email=" ung@kommune.example ",
            contact_phone="+47 22 33 44 55",
            retention_days="30",
            retention_mode="delete",
            allowed_origins="https://www.kommune.example/\nhttps://ung.kommune.example",
        ),
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == "/officer/settings?done=saved"
    assert await _stored(client) == {
        "contact_email": "ung@kommune.example",
        "contact_phone": "+47 22 33 44 55",
        "retention_days": "30",
        "retention_mode": "delete",
        "allowed_origins": "https://www.kommune.example\nhttps://ung.kommune.example",
    }
    audit = await _audit(client)
    assert ("kari", "setting_change", "setting:contact_email",
            f'"{SAMPLE_EMAIL}" → "ung@kommune.example"') in audit  # fmt: skip
    assert ("kari", "setting_change", "setting:retention_days", '"365" → "30"') in audit
    assert len(audit) == 5
    page = await (await client.client.get("/officer/settings?done=saved")).text()
    assert "Endringane er lagra." in page and "Endra av kari" in page
    assert "Telefon: +47 22 33 44 55" in page

    privacy = await (await client.client.get("/personvern")).text()
    assert "30 dagar" in privacy and "ung@kommune.example" in privacy
    cors = await client.client.options(
        "/api/chat",
        headers={"Origin": "https://ung.kommune.example", "Access-Control-Request-Method": "POST"},
    )
    assert cors.headers.get("Access-Control-Allow-Origin") == "https://ung.kommune.example"

    result, _ = await retention_job.run_once(client.client.server.app)
    assert (result.mode, result.inputs) == ("delete", 1)
    async with client.sessionmaker() as db:
        assert await db.get(Input, input_id) is None

    again = await client.client.post(
        "/officer/settings",
        data=_form(
            token,
            contact_email="ung@kommune.example",
            contact_phone="+47 22 33 44 55",
            retention_days="30",
            retention_mode="delete",
            allowed_origins="https://www.kommune.example\nhttps://ung.kommune.example",
        ),
        allow_redirects=False,
    )
    assert again.headers["Location"] == "/officer/settings?done=unchanged"
    assert len(await _audit(client)) == 5


async def test_invalid_input_shows_errors_and_stores_nothing(logged_in: LoggedIn) -> None:
    """Every bad field gets its message tied to it; valid fields are not saved either."""
    client = await logged_in("kari")
    token = await client.csrf("/officer/settings")
    response = await client.client.post(
        "/officer/settings",
        data=_form(
            token,
            contact_name="<b>Ungdomskontakten</b>",
            contact_email="ikkje ei adresse",
            contact_phone="ring oss",
            retention_days="3",
            retention_mode="brenn",
            allowed_origins="www.kommune.example",
        ),
    )
    html = await response.text()
    assert response.status == 400
    assert "Ingenting er lagra." in html
    assert 'aria-describedby="s-contact_email-help s-contact_email-error" aria-invalid="true"' in (
        html
    )
    assert '<p id="s-contact_email-error" class="field-error">Skriv ei gyldig e-postadresse' in html
    assert "Skriv eit heilt tal mellom 7 og 3650." in html
    assert "«www.kommune.example» er ikkje starten på ei nettadresse" in html
    assert "Vel eitt av alternativa." in html
    assert 'value="ikkje ei adresse"' in html  # what was typed stays, for correcting
    assert "&lt;b&gt;Ungdomskontakten&lt;/b&gt;" in html and "<b>Ungdomskontakten" not in html
    assert await _stored(client) == {} and await _audit(client) == []


async def test_reset_brings_the_default_back(logged_in: LoggedIn) -> None:
    """'Bruk standard' forgets the saved value, audits it and the default is in force."""
    client = await logged_in("kari")
    token = await client.csrf("/officer/settings")
    await client.client.post(
        "/officer/settings", data=_form(token, contact_email="ung@kommune.example")
    )
    page = await (await client.client.get("/officer/settings")).text()
    assert 'form="settings-reset" name="reset" value="contact_email"' in page
    response = await client.client.post(
        "/officer/settings/reset",
        data={"csrf_token": token, "reset": "contact_email"},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/officer/settings?done=reset"
    assert await _stored(client) == {}
    assert (await _audit(client))[-1] == (
        "kari",
        "setting_reset",
        "setting:contact_email",
        f'"ung@kommune.example" → "{SAMPLE_EMAIL}"',
    )
    privacy = await (await client.client.get("/personvern")).text()
    assert SAMPLE_EMAIL in privacy
    nothing = await client.client.post(
        "/officer/settings/reset",
        data={"csrf_token": token, "reset": "contact_email"},
        allow_redirects=False,
    )
    assert nothing.headers["Location"] == "/officer/settings?done=unchanged"
    unknown = await client.client.post(
        "/officer/settings/reset", data={"csrf_token": token, "reset": "secret_key"}
    )
    assert unknown.status == 400


async def test_malform_change_switches_the_officer_app(logged_in: LoggedIn) -> None:
    """The municipality's målform is the officer app's language from the next page on,
    and the web widget's until the conversation shows the visitor's own."""
    client = await logged_in("kari")
    before = await (await client.client.get("/widget.js")).text()
    token = await client.csrf("/officer/settings")
    response = await client.client.post(
        "/officer/settings", data=_form(token, default_malform="nb")
    )
    html: Any = await response.text()
    assert '<html lang="nb">' in html and "Endringene er lagret." in html
    assert "<h1>Innstillinger</h1>" in html
    after = await (await client.client.get("/widget.js")).text()
    assert re.search(r'"defaultMalform": ?"nn"', before)
    assert re.search(r'"defaultMalform": ?"nb"', after)
