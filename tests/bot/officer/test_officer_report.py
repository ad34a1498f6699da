"""The per-case report for elected officials."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from medverk.clock import utcnow
from medverk.store.models import AgendaItem, AuditEvent
from tests.bot.officer.support import LoggedIn

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar


async def test_report_counts_words_chart_and_texts(logged_in: LoggedIn) -> None:
    """Totals by age group, målform and channel, SVG charts, lemmatised words, every text."""
    client = await logged_in("ola")
    now = utcnow()
    texts = [
        ("Vi treng fleire benkar i parken", "nn", "web", "13-15"),
        ("Parken treng benker og lys", "nb", "telegram", "16-17"),
        ("Eg vil ha lys i parken om kvelden", "nn", "web", None),
    ]
    for n, (text, malform, channel, age) in enumerate(texts):
        await client.add_input(
            text=text, malform=malform, channel=channel, age_group=age,
            created_at=now - timedelta(days=7 * n),
        )  # fmt: skip
    await client.add_input(text="skjult tekst", status="hidden", hidden_reason="spam")
    await client.add_input(text="anna sak", case_ref="26/9999")
    response = await client.client.get("/officer/report?case=26/1001")
    html = await response.text()
    assert response.status == 200
    assert re.search(r'id="report-total">3<', html)
    assert "skjult tekst" not in html and "anna sak" not in html
    assert html.count("<svg") == 3
    assert 'role="img"' in html and "<title id=" in html
    words = dict(
        re.findall(r'<span class="word">([^<]+)</span> <span class="muted">\((\d+)\)', html)
    )
    assert words["park"] == "3"  # parken ×3 → park
    assert words["lys"] == "2"
    assert "i" not in words and "eg" not in words and "og" not in words
    for text, *_ in texts:
        assert text in html
    assert "Nynorsk" in html and "Bokmål" in html and "Telegram" in html and "13-15" in html


async def test_report_shows_the_decision_and_is_audited(logged_in: LoggedIn) -> None:
    """When the case data has a vedtak, the report shows it; the view is audited."""
    client = await logged_in("ola")
    await client.add_input(case_ref="26/1002")
    async with client.sessionmaker.begin() as db:
        db.add(
            AgendaItem(
                id="item-1", case_ref="26/1002", title="Busstilbod", committee="Kommunestyret",
                decision="Kommunestyret vedtek nattbuss.", municipality="Eksempelvik",
                topics="", search_text="", for_youth=True, is_sample=True, updated_at=utcnow(),
            )
        )  # fmt: skip
    html = await (await client.client.get("/officer/report?case=26/1002")).text()
    assert "Kommunestyret vedtek nattbuss." in html and "Busstilbod" in html
    async with client.sessionmaker() as db:
        event = await db.scalar(select(AuditEvent).where(AuditEvent.action == "view_report"))
    assert event is not None and event.target == "case:26/1002"


async def test_report_index_and_unknown_case(logged_in: LoggedIn) -> None:
    """Without a case the page lists cases with input; an unknown case is 404."""
    client = await logged_in("ola")
    await client.add_input(case_ref="26/1001", case_title="Skatepark")
    index = await (await client.client.get("/officer/report")).text()
    assert "/officer/report?case=26/1001" in index.replace("%2F", "/")
    missing = await client.client.get("/officer/report?case=99/1")
    assert missing.status == 404


async def test_report_groups_identical_texts_with_senders_and_masks(logged_in: LoggedIn) -> None:
    """Same text from several: shown once with ×n and distinct senders; a phone number masked."""
    client = await logged_in("ola")
    for sender in ("a", "b", "a"):
        await client.add_input(case_ref="26/1001", text="Meir buss!", sender_key=sender * 64)
    await client.add_input(case_ref="26/1001", text="Ring meg på 912 34 567", sender_key="c" * 64)
    html = await (await client.client.get("/officer/report?case=26/1001")).text()
    groups = html[html.index('id="h-groups"') : html.index('id="h-texts"')]
    assert "Like innspel samla" in groups
    assert "<strong>×3</strong> · frå 2 avsendarar" in groups
    assert "Ring meg på […]" in groups and "912 34 567" not in groups
    assert "personopplysningar tekne bort" in groups


async def test_report_prints_with_margins_and_a_footer_with_the_case(logged_in: LoggedIn) -> None:
    """A4 page margins and page numbers in the CSS; the case number in a print footer."""
    client = await logged_in("ola")
    await client.add_input(case_ref="26/1001", text="Meir buss!")
    html = await (await client.client.get("/officer/report?case=26/1001")).text()
    link = re.search(r'<link rel="stylesheet" media="print" href="([^"]+)"', html)
    assert link is not None
    footer = await (await client.client.get(link.group(1).replace("&amp;", "&"))).text()
    # "Innspel til saka 26/1001 – Ny skatepark", every other character escaped.
    assert footer.startswith('@page { @bottom-left { content: "Innspel til saka 26')
    assert "\\00002f1001 \\002013 Ny skatepark" in footer
    css = await (await client.client.get("/officer/static/officer.css")).text()
    assert "@page { size: A4; margin: 20mm" in css and "counter(page)" in css
