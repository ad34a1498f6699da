"""The case report printed to PDF by Debian's Chromium, in Nynorsk and Bokmål: A4,
margins, the footer with case number and page numbers on every page, the summary,
and no text cut off (read back with pypdf).

The page is fetched as a logged-in officer and printed from a file with the app's
own stylesheet (`chromium --headless --print-to-pdf`), so the print CSS is exactly
what an officer's browser gets.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from medverk.clock import utcnow
from medverk.settings import load_settings
from medverk.store.db import create_engine, create_sessionmaker
from medverk.store.migrate import upgrade_head
from tests.bot.officer.support import OfficerClient

pypdf = pytest.importorskip("pypdf")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
STATIC = Path(__file__).resolve().parents[3] / "bot" / "officer" / "static"
A4_POINTS = (595.28, 841.89)
CASE = "26/1001"
SUMMARY = {
    "nn": "Ungdomen ber mest om billegare buss og meir lys i parken. "
    "Eg rår til å ta det med i budsjettet.",
    "nb": "Ungdommen ber mest om billigere buss og mer lys i parken. "
    "Jeg anbefaler å ta det med i budsjettet.",
}
FOOTER = {
    "nn": f"Innspel til saka {CASE} – Ny skatepark",
    "nb": f"Innspill til saken {CASE} – Ny skatepark",
}
TEXTS = [
    "Bussen er for dyr for ungdom, vi betaler 40 kr kvar veg",
    "Gratis buss for alle under 18 år hadde hjelpt mange",
    "Vi treng fleire benkar og meir lys i parken om kvelden",
    "Parken er mørk om kvelden, sett opp lys langs stien",
    "Eg heiter Kari Nordmann og bur i Storgata 5, ring meg på 41234567 om bussen",
    "Ein lang tekst om fritidsklubben: " + "Klubben må vere open lenger i helgene. " * 12,
]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium")


@pytest.fixture
def print_db(tmp_path: Path) -> str:
    """A migrated SQLite database (printing does not depend on the database)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'print.db'}"
    upgrade_head(url)
    return url


@pytest.fixture(params=["nn", "nb"])
async def client_in(
    request: pytest.FixtureRequest, print_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[str, OfficerClient]]:
    """A logged-in officer on a gateway whose målform is nn, then nb."""
    url = print_db
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_DATABASE_URL", url)
    monkeypatch.setenv("MEDVERK_DEFAULT_MALFORM", request.param)
    engine = create_engine(url)
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        helper = OfficerClient(client=client, sessionmaker=create_sessionmaker(engine))
        await helper.add_officer("ola", "officer")
        assert (await helper.login("ola")).status == 303
        yield request.param, helper
    await engine.dispose()


async def _print(client: OfficerClient, html: str, directory: Path) -> Path:
    """Print the page with its stylesheets (the report's own one saved beside it)."""
    link = re.search(r'href="(/officer/report/print\.css[^"]*)"', html)
    assert link is not None
    footer_css = directory / "print.css"
    footer_css.write_text(
        await (await client.client.get(link.group(1).replace("&amp;", "&"))).text()
    )
    html = html.replace(link.group(1), footer_css.as_uri())
    page = directory / "report.html"
    page.write_text(html.replace('href="/officer/static/', f'href="{STATIC.as_uri()}/'))
    pdf = directory / "report.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={directory / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


def _flat(text: str) -> str:
    # NFKC: the PDF's ligatures (ﬂ, ﬁ) back to letters.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


async def test_the_report_prints_on_a4_with_footer_summary_and_every_text(
    client_in: tuple[str, OfficerClient], tmp_path: Path
) -> None:
    malform, client = client_in
    now = utcnow()
    for n in range(36):
        text = TEXTS[n % len(TEXTS)]
        await client.add_input(
            text=text, sender_key=f"{n % 20:064d}", created_at=now - timedelta(days=n // 3)
        )
    token = await client.csrf(f"/officer/report?case={CASE}")
    response = await client.client.post(
        "/officer/report/summary",
        data={"csrf_token": token, "case": CASE, "summary": SUMMARY[malform]},
    )
    html = await response.text()
    assert response.status == 200
    reader = pypdf.PdfReader(await _print(client, html, tmp_path))
    pages = reader.pages
    assert len(pages) >= 2
    texts = [_flat(page.extract_text()) for page in pages]
    for number, (page, text) in enumerate(zip(pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1, (width, height)
        # pypdf may drop a space between the margin box's words: compare without spaces.
        assert FOOTER[malform].replace(" ", "") in text.replace(" ", ""), (number, text[:300])
        assert f"{number} / {len(pages)}" in text, (number, text[-300:])
    whole = _flat(" ".join(texts))
    assert _flat(SUMMARY[malform]) in whole
    assert "Kari Nordmann" not in whole and "41234567" not in whole
    heading = {"nn": "Tema i innspela", "nb": "Temaer i innspillene"}[malform]
    assert heading in whole
    # Nothing cut: each distinct text (masked) is in the PDF word for word, the long one too.
    for text in [*TEXTS[:4], TEXTS[5]]:
        assert _flat(text) in whole, text
    # The weekly tables behind "Innspel over tid" are printed too (Chromium does not print
    # a closed <details> unless the print CSS opens it): the charts say "v. 47", only the
    # tables name the full week, so each table's first week is in the PDF once per table.
    first_weeks = re.findall(
        r'<table class="series">.*?<tbody>\s*<tr><th scope="row">([^<]+)</th>', html, re.S
    )
    assert first_weeks
    assert whole.count(_flat(first_weeks[0])) >= len(first_weeks), whole[:3000]
    # The edit forms and buttons are not printed.
    for label in ("Lagre oppsummeringa", "Lagre oppsummeringen", "Skriv ut: Ctrl+P"):
        assert label not in whole
