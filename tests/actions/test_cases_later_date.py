"""On a later day the sample municipality still lives: coming meetings and an open hearing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from actions import store
from actions.case_list import ActionUpcomingCases
from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.settings import PROJECT_ROOT
from medverk.store.db import create_engine, create_sessionmaker
from medverk.texts.dates import MONTHS
from tests.actions.test_cases import render, run, tracker

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

LATER = "2027-09-01"
LISTED_DATE = re.compile(rf"(\d{{1,2}})\. ({'|'.join(MONTHS)})(?: (\d{{4}}))?:")


@pytest.fixture
async def synced_later(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[Any]:
    """The shipped sample, synced as it reads on 2027-09-01 (its dates moved by whole weeks)."""
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_TODAY", LATER)
    store.reset()
    engine = create_engine(database_url)
    result = await sync_cases(
        create_sessionmaker(engine), FileCaseSource(PROJECT_ROOT / "data" / "cases")
    )
    assert result.ok
    yield
    await engine.dispose()
    await store.get_sessionmaker().kw["bind"].dispose()
    store.reset()


def _listed_dates(text: str) -> list[date]:
    today = date.fromisoformat(LATER)
    return [
        date(int(year) if year else today.year, MONTHS.index(month) + 1, int(day))
        for day, month, year in LISTED_DATE.findall(text)
    ]


async def test_upcoming_cases_are_dated_meetings_from_today_on(synced_later: Any) -> None:
    dispatcher, _ = await run(
        ActionUpcomingCases(), tracker("kva saker kjem opp snart?", intent="ask_upcoming_cases")
    )
    first = dispatcher.messages[0]
    assert first["response"] == "utter_cases_upcoming"
    dates = _listed_dates(render(first, "nn"))
    assert len(dates) == 5
    assert all(day >= date.fromisoformat(LATER) for day in dates)
    assert dates == sorted(dates)


async def test_an_open_hearing_is_listed_with_its_deadline(synced_later: Any) -> None:
    dispatcher, _ = await run(
        ActionUpcomingCases(),
        tracker("kva er på høyring no?", intent="ask_upcoming_cases", malform="nb"),
    )
    first = dispatcher.messages[0]
    assert first["response"] == "utter_cases_hearings"
    deadlines = _listed_dates(render(first, "nb"))
    assert deadlines
    assert all(day >= date.fromisoformat(LATER) for day in deadlines)
