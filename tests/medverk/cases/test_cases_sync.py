"""Sync into the store (SQLite and PostgreSQL) and the eInnsyn field conventions Medverk reads."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from medverk.cases.einnsyn_format import hearing_deadline, item_record, plain_text
from medverk.cases.sources import CaseSourceUnavailable, FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.settings import PROJECT_ROOT
from medverk.store import cases_repo

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

SAMPLE_DIR = PROJECT_ROOT / "data" / "cases"


class DeadSource:
    name = "einnsyn"

    async def fetch(self) -> Any:
        raise CaseSourceUnavailable("connection refused")


async def test_sync_is_repeatable_and_keeps_data_when_the_source_fails(sessionmaker: Any) -> None:
    """Two syncs give the same 31 items; a failed one changes nothing but the run log."""
    first = await sync_cases(sessionmaker, FileCaseSource(SAMPLE_DIR))
    second = await sync_cases(sessionmaker, FileCaseSource(SAMPLE_DIR))
    assert (first.items, second.items, second.meetings) == (31, 31, 15)
    failed = await sync_cases(sessionmaker, DeadSource())
    assert not failed.ok and "connection refused" in (failed.error or "")
    async with sessionmaker() as session:
        state = await cases_repo.sync_state(session)
        items = await cases_repo.find_by_ref(session, "2024/1187")
    assert state.item_count == 31
    assert state.last_run is not None and not state.last_run.ok
    assert state.last_success is not None and state.last_success.ok
    assert items[0].is_sample and items[0].municipality == "Eksempelvik kommune"


async def test_upcoming_pages_and_filters(sessionmaker: Any) -> None:
    """Upcoming from a given day: soonest first, paged, filtered by committee and youth."""
    await sync_cases(sessionmaker, FileCaseSource(SAMPLE_DIR))
    today = date(2026, 11, 28)
    async with sessionmaker() as session:
        first = await cases_repo.upcoming(session, today, limit=5)
        last = await cases_repo.upcoming(session, today, offset=15, limit=5)
        youth_council = await cases_repo.upcoming(session, today, committee="Ungdomsrådet")
        later = await cases_repo.upcoming(session, date(2027, 3, 19))
        hearings = await cases_repo.open_hearings(session, date(2026, 12, 11), limit=10)
    assert first.total == 18 and first.has_more
    assert [i.case_ref for i in first.items][:2] == ["2026/402", "2026/403"]
    assert len(last.items) == 3 and not last.has_more
    assert youth_council.total == 5
    assert later.total == 0
    assert [i.case_ref for i in hearings.items][:2] == ["2026/422", "2024/1187"]


def test_hearing_deadline_in_both_malformer_and_formats() -> None:
    """Høyringsfrist/Høringsfrist with written, ISO or dotted dates; none without a label."""
    assert hearing_deadline("Høyringsfrist: 15. desember 2026.") == date(2026, 12, 15)
    assert hearing_deadline("Høringsfrist 2027-01-08") == date(2027, 1, 8)
    assert hearing_deadline("Frist for innspill: 5.1.2027") == date(2027, 1, 5)
    assert hearing_deadline("Høyringsfrist: 15. desember", default_year=2026) == date(2026, 12, 15)
    assert hearing_deadline("Møtet er 15. desember 2026.") is None


def test_html_recommendation_becomes_plain_text() -> None:
    """An HTML Moetesaksbeskrivelse is read as plain text."""
    text = plain_text(
        {
            "tekstInnhold": "<p>Kommunedirektøren <b>rår</b> til &amp; meir</p>",
            "tekstFormat": "text/html",
        }
    )
    assert text == "Kommunedirektøren rår til & meir"


def test_an_item_without_case_number_is_skipped() -> None:
    """A Moetesak without moetesaksaar/sekvensnummer cannot be asked about, so it is left out."""
    sak = {"id": "ms_x", "offentligTittel": "Referatsaker", "utvalg": "Formannskapet"}
    assert item_record(sak, None, "Eksempelvik kommune", is_sample=True) is None
