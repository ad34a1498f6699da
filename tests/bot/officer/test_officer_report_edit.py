"""The case report: junk words out of the word list (and back), the officer's summary,
themes and the masked list of all texts (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from sqlalchemy import select

from medverk.store.models import AuditEvent, ReportJunkWord, ReportSummary
from tests.bot.officer.support import LoggedIn, OfficerClient

REPORT = "/officer/report?case=26/1001"


def _words(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<span class="word">([^<]+)</span> <span class="muted">\((\d+)\)', html)
    )


async def _audit(client: OfficerClient, action: str) -> list[AuditEvent]:
    async with client.sessionmaker() as db:
        rows = await db.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return list(rows)


async def test_a_junk_word_is_removed_audited_and_can_be_put_back(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    for text in ("Parken treng lys", "Lys i parken, please", "Please meir lys"):
        await client.add_input(text=text)
    assert "please" in _words(await (await client.client.get(REPORT)).text())
    token = await client.csrf(REPORT)
    form = {"csrf_token": token, "case": "26/1001", "word": "please", "action": "remove"}
    response = await client.client.post("/officer/report/words", data=form, allow_redirects=False)
    assert response.status == 303
    location = response.headers["Location"].replace("%2F", "/")
    assert location == "/officer/report?case=26/1001&done=word_removed&word=please#h-words"
    html = await (await client.client.get(response.headers["Location"])).text()
    words = _words(html)
    assert "please" not in words and words["lys"] == "3"
    assert "Ordet «please» er teke bort" in html and 'id="junk-words"' in html
    assert 'name="action" value="restore"' in html  # the undo button
    # Another case keeps the word.
    await client.add_input(text="Please fiks vegen", case_ref="26/2002")
    assert "please" in _words(
        await (await client.client.get("/officer/report?case=26/2002")).text()
    )
    [event] = await _audit(client, "report_word_removed")
    assert event.target == "case:26/1001" and event.detail == "please"
    # Undo.
    form["action"] = "restore"
    response = await client.client.post("/officer/report/words", data=form)
    html = await response.text()
    assert _words(html)["please"] == "2" and "er med i ordlista igjen" in html
    assert len(await _audit(client, "report_word_restored")) == 1
    async with client.sessionmaker() as db:
        assert (await db.scalars(select(ReportJunkWord))).all() == []


async def test_junk_word_needs_csrf_a_real_word_and_a_known_case(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    await client.add_input(text="Parken treng lys")
    form = {"case": "26/1001", "word": "lys", "action": "remove"}
    missing = await client.client.post("/officer/report/words", data=form)
    assert missing.status == 403
    token = await client.csrf(REPORT)
    for bad in ({"word": "<b>"}, {"word": "x"}, {"action": "drop"}, {"case": ""}):
        response = await client.client.post(
            "/officer/report/words", data={**form, "csrf_token": token, **bad}
        )
        assert response.status == 400, bad
    unknown = await client.client.post(
        "/officer/report/words", data={**form, "csrf_token": token, "case": "99/1"}
    )
    assert unknown.status == 404
    async with client.sessionmaker() as db:
        assert (await db.scalars(select(ReportJunkWord))).all() == []


async def test_the_summary_is_stored_escaped_audited_and_removable(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    await client.add_input(text="Parken treng lys")
    token = await client.csrf(REPORT)
    text = "Dei unge vil ha lys.\n<script>alert(1)</script> & meir"
    response = await client.client.post(
        "/officer/report/summary", data={"csrf_token": token, "case": "26/1001", "summary": text}
    )
    html = await response.text()
    assert response.status == 200 and "Oppsummeringa er lagra." in html
    assert "<script>alert(1)" not in html
    assert "Dei unge vil ha lys.\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; meir" in html
    assert re.search(r'<section class="summary" ', html)  # printed (no "no-print")
    assert "Skriven av ola" in html
    [event] = await _audit(client, "report_summary")
    assert event.target == "case:26/1001" and event.detail == f"chars={len(text)}"
    async with client.sessionmaker() as db:
        stored = await db.get(ReportSummary, "26/1001")
        assert stored is not None and stored.text == text and stored.updated_by == "ola"
    # Too long: nothing saved, the draft kept, the error shown.
    long = await client.client.post(
        "/officer/report/summary",
        data={"csrf_token": token, "case": "26/1001", "summary": "a" * 5001},
    )
    body = await long.text()
    assert long.status == 400 and 'id="summary-error"' in body and "a" * 5001 in body
    # Empty removes it.
    response = await client.client.post(
        "/officer/report/summary", data={"csrf_token": token, "case": "26/1001", "summary": " "}
    )
    html = await response.text()
    assert "Oppsummeringa er teken bort." in html and 'id="summary-text"' not in html
    async with client.sessionmaker() as db:
        assert await db.get(ReportSummary, "26/1001") is None
    no_token = await client.client.post(
        "/officer/report/summary", data={"case": "26/1001", "summary": "x"}
    )
    assert no_token.status == 403


async def test_all_texts_are_masked_and_themes_are_shown(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    secret = "Eg heiter Kari Nordmann og bur i Storgata 5, ring meg på 41234567 om bussen"
    await client.add_input(text=secret, sender_key="b" * 64)
    for n, text in enumerate(
        ["Bussen er for dyr for ungdom", "Bussen er altfor dyr", "Dyr buss for ungdom"]
    ):
        await client.add_input(text=text, sender_key=str(n) * 64)
    html = await (await client.client.get(REPORT)).text()
    for part in ("Kari Nordmann", "Storgata 5", "41234567"):
        assert part not in html
    assert "Eg heiter […] og bur i […], ring meg på […] om bussen" in html
    assert "personopplysningar tekne bort" in html
    themes = re.search(r'<section class="themes".*?</section>', html, re.S)
    assert themes is not None and "Tema i innspela" in themes.group(0)
    assert re.search(r"\d innspel frå \d avsendarar", themes.group(0))
    assert "Bussen er for dyr for ungdom" in themes.group(0)
