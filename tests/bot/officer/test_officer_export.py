"""CSV export and the JSON API honour the inbox's filters and are audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from medverk.clock import utcnow
from medverk.store.models import AuditEvent
from tests.bot.officer.support import LoggedIn

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


async def test_csv_has_the_filtered_rows(logged_in: LoggedIn) -> None:
    """The CSV holds every matching input (no paging), newest first, UTF-8 with BOM."""
    client = await logged_in("ola")
    now = utcnow()
    for n in range(60):
        await client.add_input(
            text=f"nynorsk {n}", malform="nn", created_at=now - timedelta(hours=n)
        )
    await client.add_input(text="bokmål æøå", malform="nb")
    response = await client.client.get("/officer/inputs.csv?malform=nn")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = await response.read()
    assert raw.startswith("\ufeff".encode())
    rows = _csv_rows(raw)
    assert len(rows) == 60
    assert [row["Tekst"] for row in rows[:2]] == ["nynorsk 0", "nynorsk 1"]
    assert {row["Målform"] for row in rows} == {"Nynorsk"}
    assert {row["Status"] for row in rows} == {"Ny"}
    assert "sender_key" not in rows[0] and "Kontakt" not in rows[0]
    everything = await client.client.get("/officer/inputs.csv")
    body = (await everything.read()).decode("utf-8-sig")
    assert "bokmål æøå" in body


def _csv_rows(raw: bytes) -> list[dict[str, str]]:
    """The rows of a `;`-separated export with a BOM, by Norwegian column name."""
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


async def test_csv_cells_cannot_become_formulas(logged_in: LoggedIn) -> None:
    """A text starting with = is exported with a leading apostrophe (CSV injection)."""
    client = await logged_in("ola")
    await client.add_input(text='=HYPERLINK("http://x","klikk")')
    raw = (await (await client.client.get("/officer/inputs.csv")).read()).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(raw), delimiter=";"))
    assert row["Tekst"] == '\'=HYPERLINK("http://x","klikk")'


async def test_csv_export_is_audited(logged_in: LoggedIn) -> None:
    """Exporting writes who exported what, before the rows are sent."""
    client = await logged_in("kari")
    await client.add_input()
    await client.client.get("/officer/inputs.csv?channel=web")
    async with client.sessionmaker() as db:
        event = await db.scalar(select(AuditEvent).where(AuditEvent.action == "export_csv"))
    assert event is not None
    assert event.officer_username == "kari"
    assert "channel=web" in event.detail


async def test_json_api_pages_and_filters(logged_in: LoggedIn) -> None:
    """The API returns a page of items, totals and counts per status, with filters."""
    client = await logged_in("ola")
    now = utcnow()
    ids = [
        await client.add_input(text=f"t{n}", created_at=now - timedelta(minutes=n))
        for n in range(5)
    ]
    await client.add_input(text="telegram", channel="telegram", status="answered", answer="Ja")
    response = await client.client.get("/officer/api/inputs?channel=web&per_page=2&page=2")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["total"] == 5 and body["pages"] == 3 and body["page"] == 2
    assert [item["id"] for item in body["items"]] == ids[2:4]
    assert body["counts"] == {"new": 5, "read": 0, "answered": 0, "hidden": 0}
    item = body["items"][0]
    assert set(item) >= {"id", "created_at", "case_ref", "text", "status", "malform", "channel"}
    assert "sender_key" not in item
    answered = await (await client.client.get("/officer/api/inputs?status=answered")).json()
    assert [i["answer"] for i in answered["items"]] == ["Ja"]


async def test_json_api_with_expired_cookie_is_401(logged_in: LoggedIn) -> None:
    """After logout the API answers 401 JSON, never an HTML redirect."""
    client = await logged_in("ola")
    token = await client.csrf()
    await client.client.post("/officer/logout", data={"csrf_token": token})
    response = await client.client.get("/officer/api/inputs", allow_redirects=False)
    assert response.status == 401
    assert response.content_type == "application/json"


async def test_inbox_csv_and_api_agree_on_a_search(logged_in: LoggedIn) -> None:
    """A search with part of a word, other case, æøå and quotes gives the same rows everywhere."""
    client = await logged_in("ola")
    now = utcnow()
    wanted = [
        await client.add_input(text='Busstilbodet til "Øvre Åsen" er dårleg', created_at=now),
        await client.add_input(
            text="Skulebussen til øvre åsen går for sjeldan",
            created_at=now - timedelta(minutes=1),
        ),
    ]
    await client.add_input(text="Bussen til sentrum er fin", created_at=now)
    query = "q=" + quote('BUSS "øvre åsen"')
    html = await (await client.client.get("/officer/inputs?" + query)).text()
    shown = [int(n) for n in re.findall(r'href="/officer/inputs/(\d+)[?"]', html)]
    api = await (await client.client.get("/officer/api/inputs?" + query)).json()
    raw = (await (await client.client.get("/officer/inputs.csv?" + query)).read()).decode(
        "utf-8-sig"
    )
    exported = [row["Tekst"] for row in csv.DictReader(io.StringIO(raw), delimiter=";")]
    assert shown == wanted
    assert [item["id"] for item in api["items"]] == wanted
    assert exported == [item["text"] for item in api["items"]]
    assert "&#34;øvre åsen&#34;" in html or "&quot;øvre åsen&quot;" in html  # echoed, escaped
