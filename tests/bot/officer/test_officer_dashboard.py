"""The dashboard pages: overall and per committee, with tables beside the chart."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.keys import EFFECTIVE_SETTINGS
from medverk.clock import utcnow
from medverk.store.settings_repo import set_setting
from tests.bot.officer.support import LoggedIn


def _cell(html: str, table: str, row_start: str) -> list[str]:
    """The cells of the first row of `table` whose first cell contains `row_start`."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells and row_start in cells[0]:
            return cells
    raise AssertionError(f"no row {row_start!r} in {table}")


async def test_overall_and_committee_dashboard(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    now = utcnow()
    await client.add_input(case_ref="26/1", committee="Ungdomsrådet", created_at=now)
    await client.add_input(
        case_ref="26/1",
        committee="Ungdomsrådet",
        status="answered",
        created_at=now - timedelta(hours=5),
        answered_at=now - timedelta(hours=2),
    )
    await client.add_input(case_ref="26/2", committee="Formannskapet", created_at=now)
    await client.add_input(case_ref="26/2", committee="Formannskapet", status="hidden")

    response = await client.client.get("/officer/dashboard")
    html = await response.text()
    assert response.status == 200
    assert "<h1>Oversikt over innspela</h1>" in html
    assert 'id="kpi-total">3<' in html and 'id="kpi-share">33 %<' in html
    assert 'id="kpi-median" aria-describedby="median-help">3 timar<' in html
    assert _cell(html, "committee-table", "Ungdomsrådet") == [
        "Ungdomsrådet", "2", "1", "50 %", "0", "3 t"
    ]  # fmt: skip
    assert _cell(html, "case-table", "26/2")[1:] == ["Formannskapet", "1", "1", "0 %", "0", "–"]
    # The chart has a title and description, and a table with the same numbers beside it.
    assert 'role="img" aria-labelledby="chart-weeks-t chart-weeks-d"' in html
    assert 'class="weeks-table"' in html
    assert 'href="/officer/dashboard">Oversikt</a>' in html

    one = await (await client.client.get("/officer/dashboard?committee=Ungdomsr%C3%A5det")).text()
    assert "<h1>Oversikt: Ungdomsrådet</h1>" in one
    assert 'id="committee-table"' not in one and "26/2" not in one
    assert 'id="kpi-total">2<' in one and 'id="kpi-share">50 %<' in one

    missing = await client.client.get("/officer/dashboard?committee=Finst+ikkje")
    assert missing.status == 404


async def test_empty_dashboard_in_bokmal(logged_in: LoggedIn) -> None:
    client = await logged_in("ola")
    async with client.sessionmaker.begin() as db:
        await set_setting(db, "default_malform", "nb", by="test")
    await client.client.app[EFFECTIVE_SETTINGS].refresh()
    html = await (await client.client.get("/officer/dashboard?weeks=999")).text()
    assert "Ingen innspill ennå." in html
    assert '<option value="12" selected>' in html


async def test_dashboard_needs_login(officer_client) -> None:
    response = await officer_client.client.get("/officer/dashboard", allow_redirects=False)
    assert response.status in (302, 303)
    assert response.headers["Location"].startswith("/officer/login")
