"""Exports a Norwegian office opens: .xlsx read back with openpyxl, and CSV with `;`,
Norwegian column names and values, and the case in the file name."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from medverk.clock import TIMEZONE, today, utcnow
from medverk.store.models import AuditEvent, InputTag
from tests.bot.officer.support import LoggedIn

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

HEADER = [
    "Nr.", "Motteke", "Saksnummer", "Sak", "Utval", "Status", "Målform", "Kanal",
    "Aldersgruppe", "Vil ha svar", "Merkelappar", "Tildelt", "Tekst", "Svar", "Svara",
    "Skjult fordi", "Merknad",
]  # fmt: skip


async def test_xlsx_has_norwegian_columns_values_and_real_dates(logged_in: LoggedIn) -> None:
    """The workbook of a filtered list: header in Nynorsk, values as labels, times as
    local dates, tags listed, formulas kept as text, and the case in the file name."""
    client = await logged_in("ola")
    created = utcnow().replace(microsecond=0) - timedelta(hours=2)
    tagged = await client.add_input(
        case_ref="2026/411", text="Meir buss", malform="nb", channel="telegram",
        wants_reply=True, created_at=created,
    )  # fmt: skip
    await client.add_input(
        case_ref="2026/411", text='=HYPERLINK("http://x","klikk")', age_group=None,
        created_at=created - timedelta(minutes=5),
    )  # fmt: skip
    await client.add_input(case_ref="2026/9", text="anna sak")
    flagged = await client.add_input(
        case_ref="2026/411", text="demo", demo=True, abuse_flag=True,
        created_at=created - timedelta(minutes=9),
    )  # fmt: skip
    async with client.sessionmaker.begin() as db:
        db.add(InputTag(input_id=tagged, tag="Buss", case_ref="2026/411", created_by="ola"))
    response = await client.client.get("/officer/inputs.xlsx?case=2026%2F411")
    assert response.status == 200
    assert response.content_type.endswith("spreadsheetml.sheet")
    name = f"innspel-2026-411-{today().isoformat()}.xlsx"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    book = load_workbook(io.BytesIO(await response.read()))
    sheet = book["Innspel"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 4
    assert rows[3][0] == flagged and rows[3][-1] == "Demo, Mogleg krenkjande"
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["Nr."] == tagged
    assert first["Motteke"] == created.astimezone(TIMEZONE).replace(tzinfo=None)
    assert isinstance(first["Motteke"], datetime)
    assert (first["Status"], first["Målform"], first["Kanal"]) == ("Ny", "Bokmål", "Telegram")
    assert (first["Vil ha svar"], first["Merkelappar"], first["Saksnummer"]) == (
        "Ja",
        "Buss",
        "2026/411",
    )
    second = dict(zip(HEADER, rows[2], strict=True))
    assert second["Tekst"] == '=HYPERLINK("http://x","klikk")'
    assert sheet.cell(row=3, column=13).data_type == "s"  # text, never a formula
    assert second["Aldersgruppe"] == "Ikkje oppgitt"
    assert first["Merknad"] is None and second["Merknad"] is None
    async with client.sessionmaker() as db:
        event = await db.scalar(select(AuditEvent).where(AuditEvent.action == "export_xlsx"))
    assert event is not None and "case=2026%2F411" in event.detail


async def test_csv_uses_semicolons_and_names_the_case(logged_in: LoggedIn) -> None:
    """CSV for Norwegian Excel: `;`, BOM, CRLF, Norwegian header, case in the file name."""
    client = await logged_in("ola")
    await client.add_input(case_ref="2026/411", text="Buss; tog, og «båt»")
    response = await client.client.get("/officer/inputs.csv?case=2026%2F411")
    name = f"innspel-2026-411-{today().isoformat()}.csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    raw = await response.read()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADER)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["Tekst"] == "Buss; tog, og «båt»"
    assert rows[0]["Status"] == "Ny" and rows[0]["Vil ha svar"] == "Nei"
    plain = await client.client.get("/officer/inputs.csv")
    assert f'filename="innspel-{today().isoformat()}.csv"' in plain.headers["Content-Disposition"]


async def test_bulk_export_holds_only_the_ticked_inputs(logged_in: LoggedIn) -> None:
    """'Last ned dei valde' gives a file of the ticked inputs, in xlsx or CSV, audited."""
    client = await logged_in("ola")
    ids = [await client.add_input(case_ref="2026/411", text=f"t{n}") for n in range(3)]
    token = await client.csrf()
    ticked = ids[:2]
    form = [("csrf_token", token), ("action", "export_xlsx")] + [("id", str(i)) for i in ticked]
    response = await client.client.post("/officer/inputs/bulk", data=form)
    assert response.status == 200
    assert "innspel-2026-411-" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(await response.read())).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == sorted(ticked)
    form[1] = ("action", "export_csv")
    csv_response = await client.client.post("/officer/inputs/bulk", data=form)
    text = (await csv_response.read()).decode("utf-8-sig")
    exported = [int(r["Nr."]) for r in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert sorted(exported) == sorted(ticked)
    async with client.sessionmaker() as db:
        events = (
            await db.scalars(select(AuditEvent.detail).where(AuditEvent.action == "export_xlsx"))
        ).all()
    assert events == ["ids=" + ",".join(str(i) for i in sorted(ticked, reverse=True))]
