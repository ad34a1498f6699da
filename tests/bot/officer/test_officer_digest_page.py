"""An officer's own digest opt-in in the app: CSRF, checks, audit, and the digest job uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from medverk.clock import utcnow
from medverk.officers.digest import send_due_digests
from medverk.officers.texts import load_texts
from medverk.store import digest_repo
from medverk.store.models import AuditEvent, Officer
from tests.bot.officer.support import LoggedIn
from tests.medverk.officers.smtp_server import body, local_smtp


async def _officer_id(client, username: str) -> int:
    async with client.sessionmaker() as db:
        return int(await db.scalar(select(Officer.id).where(Officer.username == username)))


async def test_opt_in_weekly_for_one_committee_and_a_case_then_receive_it(
    logged_in: LoggedIn,
) -> None:
    client = await logged_in("ola")
    await client.add_input(case_ref="26/1", case_title="Skatepark", committee="Ungdomsrådet")
    await client.add_input(case_ref="26/2", case_title="Bibliotek", committee="Formannskapet")
    await client.add_input(case_ref="26/3", case_title="Vegar", committee="Formannskapet")

    page = await (await client.client.get("/officer/digest")).text()
    assert 'name="frequency" value="off" checked' in page
    assert 'value="Ungdomsrådet"' in page and 'value="26/3"' in page
    token = await client.csrf("/officer/digest")
    form = [
        ("csrf_token", token),
        ("frequency", "weekly"),
        ("email", "ola@kommune.test"),
        ("malform", "nb"),
        ("committee", "Ungdomsrådet"),
        ("case", "26/3"),
    ]
    saved = await client.client.post("/officer/digest", data=form)
    html = await saved.text()
    assert saved.status == 200
    assert "Lagra. Du får eit samandrag kvar veke" in html
    assert 'name="frequency" value="weekly" checked' in html
    assert 'value="Ungdomsrådet" checked' in html and 'value="26/3" checked' in html

    officer_id = await _officer_id(client, "ola")
    async with client.sessionmaker() as db:
        row = await digest_repo.get_digest(db, officer_id)
        assert row is not None and (row.frequency, row.email, row.malform) == (
            "weekly",
            "ola@kommune.test",
            "nb",
        )
        audit = (
            await db.scalars(select(AuditEvent).where(AuditEvent.action == "digest_optin"))
        ).one()
        assert audit.target == "officer:ola"
        assert audit.detail == "frequency=weekly committees=Ungdomsrådet cases=26/3"

    # The digest job sends what the page chose: 26/1 (committee) and 26/3 (case), not 26/2.
    with local_smtp() as (inbox, smtp):
        async with client.sessionmaker.begin() as db:
            result = await send_due_digests(
                db, load_texts(), smtp, public_url="https://medverk.test", force=True,
                now=utcnow(),
            )  # fmt: skip
    assert result.sent == 1 and len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "ola@kommune.test"
    text = body(message)
    assert "26/1 Skatepark: 1 nye" in text and "26/3 Vegar: 1 nye" in text
    assert "26/2" not in text
    assert "Utvalg: Ungdomsrådet" in text and "Saker: 26/3" in text


async def test_turning_it_off_removes_the_opt_in(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    await client.add_input(case_ref="26/1", committee="Ungdomsrådet")
    token = await client.csrf("/officer/digest")
    await client.client.post(
        "/officer/digest",
        data={"csrf_token": token, "frequency": "daily", "email": "ola@kommune.test",
              "committee": "Ungdomsrådet"},
    )  # fmt: skip
    off = await client.client.post(
        "/officer/digest", data={"csrf_token": token, "frequency": "off", "email": ""}
    )
    assert "Du får ikkje lenger samandrag på e-post." in await off.text()
    officer_id = await _officer_id(client, "ola")
    async with client.sessionmaker() as db:
        assert await digest_repo.get_digest(db, officer_id) is None
        assert await digest_repo.scopes_of(db, officer_id) == digest_repo.Scopes()


@pytest.mark.parametrize("email", ["", "ikkje-ei-adresse", "a@b"])
async def test_a_bad_address_saves_nothing(logged_in: LoggedIn, email: str) -> None:
    client = await logged_in("ola")
    token = await client.csrf("/officer/digest")
    response = await client.client.post(
        "/officer/digest", data={"csrf_token": token, "frequency": "daily", "email": email}
    )
    assert response.status == 400
    assert "Skriv ei e-postadresse" in await response.text()
    async with client.sessionmaker() as db:
        assert await digest_repo.get_digest(db, await _officer_id(client, "ola")) is None


async def test_without_the_csrf_token_it_is_refused(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    response = await client.client.post(
        "/officer/digest", data={"frequency": "daily", "email": "ola@kommune.test"}
    )
    assert response.status == 403
    async with client.sessionmaker() as db:
        assert await digest_repo.get_digest(db, await _officer_id(client, "ola")) is None
