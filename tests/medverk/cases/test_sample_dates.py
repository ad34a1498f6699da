"""The sample municipality stays current: dates move to today by whole weeks; real data never."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from medverk.cases.records import CaseBatch
from medverk.cases.sample_dates import REFERENCE_KEY, shift_days, shift_document, shift_text
from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.clock import TIMEZONE
from medverk.store import cases_repo
from medverk.store.db import create_engine, create_sessionmaker
from tests.medverk.cases.conftest import SAMPLE

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

REFERENCE = date(2026, 11, 28)
LATER = "2027-09-01"


def _document() -> dict[str, object]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


async def _batch(folder: Path, monkeypatch: pytest.MonkeyPatch, today: str) -> CaseBatch:
    monkeypatch.setenv("MEDVERK_TODAY", today)
    return await FileCaseSource(folder).fetch()


def _by_id(batch: CaseBatch) -> dict[str, object]:
    return {item.id: item for item in batch.items}


def test_the_sample_declares_the_day_its_dates_were_written() -> None:
    document = _document()
    assert document["sample"] is True
    assert document[REFERENCE_KEY] == REFERENCE.isoformat()


@pytest.mark.parametrize("offset", range(7))
def test_in_the_first_week_the_file_reads_exactly_as_written(offset: int) -> None:
    """From the reference date to six days after, nothing moves (not a byte)."""
    document = _document()
    today = REFERENCE + timedelta(days=offset)
    assert shift_days(REFERENCE, today) == 0
    assert shift_document(document, today) == _document()


@pytest.mark.parametrize(
    ("today", "days"),
    [(date(2026, 12, 5), 7), (date(2027, 9, 1), 273), (date(2026, 11, 27), -7)],
)
def test_the_shift_is_whole_weeks(today: date, days: int) -> None:
    assert shift_days(REFERENCE, today) == days


async def test_meetings_keep_their_weekday_and_clock_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole weeks: a Thursday 10:00 meeting stays a Thursday 10:00 meeting, also across DST."""
    written = await _batch(SAMPLE.parent, monkeypatch, REFERENCE.isoformat())
    moved = await _batch(SAMPLE.parent, monkeypatch, LATER)
    pairs = list(zip(written.meetings, moved.meetings, strict=True))
    assert pairs
    for before, after in pairs:
        assert after.meeting_date - before.meeting_date >= timedelta(days=273 - 1)
        local_before = before.meeting_date.astimezone(TIMEZONE)
        local_after = after.meeting_date.astimezone(TIMEZONE)
        assert local_after.weekday() == local_before.weekday()
        assert local_after.time() == local_before.time()
        assert (local_after.date() - local_before.date()).days == 273


async def test_deadlines_and_decisions_move_with_their_meeting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hearing deadline written in the text moves by the same days as its meeting."""
    written = _by_id(await _batch(SAMPLE.parent, monkeypatch, REFERENCE.isoformat()))
    moved = _by_id(await _batch(SAMPLE.parent, monkeypatch, LATER))
    deadlines = decisions = 0
    for item_id, before in written.items():
        after = moved[item_id]
        assert after.case_ref == before.case_ref  # case numbers are names, not dates
        assert after.committee == before.committee
        if before.hearing_deadline is not None:
            deadlines += 1
            assert after.hearing_deadline == before.hearing_deadline + timedelta(days=273)
        if before.decision_date is not None:
            decisions += 1
            assert after.decision_date == before.decision_date + timedelta(days=273)
    assert deadlines >= 5
    assert decisions >= 5


async def test_a_later_date_still_has_past_decisions_coming_meetings_and_open_hearings(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 2027-09-01 the demo lives: decisions behind, meetings ahead, a hearing open."""
    monkeypatch.setenv("MEDVERK_TODAY", LATER)
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    try:
        result = await sync_cases(sessionmaker, FileCaseSource(SAMPLE.parent))
        assert result.ok
        today = date.fromisoformat(LATER)
        async with sessionmaker() as session:
            coming = await cases_repo.upcoming(session, today, limit=50)
            hearings = await cases_repo.open_hearings(session, today, limit=50)
            decided = await cases_repo.recent_decisions(session, today, limit=50)
    finally:
        await engine.dispose()
    meeting_days = {item.meeting_date.astimezone(TIMEZONE).date() for item in coming.items}
    assert coming.total >= 10
    assert min(meeting_days) - today <= timedelta(days=14)
    assert hearings.total >= 1
    assert all(item.hearing_deadline >= today for item in hearings.items)
    assert decided.total >= 5


async def test_real_data_is_never_shifted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A municipality's own file (no `"sample": true`) reads as written on any date."""
    document = _document()
    document["sample"] = False
    (tmp_path / "kommune.json").write_text(json.dumps(document), encoding="utf-8")
    written = await _batch(tmp_path, monkeypatch, REFERENCE.isoformat())
    later = await _batch(tmp_path, monkeypatch, LATER)
    assert later.meetings == written.meetings
    assert later.items == written.items
    assert shift_document(document, date(2030, 1, 1)) is document


async def test_a_sample_without_a_reference_date_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document()
    del document[REFERENCE_KEY]
    (tmp_path / "demo.json").write_text(json.dumps(document), encoding="utf-8")
    written = await _batch(tmp_path, monkeypatch, REFERENCE.isoformat())
    later = await _batch(tmp_path, monkeypatch, LATER)
    assert later.items == written.items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Høyringsfrist: 8. januar 2027.", "Høyringsfrist: 8. oktober 2027."),
        ("Høringsfrist: 2027-01-08.", "Høringsfrist: 2027-10-08."),
        ("lagd fram etter møtet 3. desember.", "lagd fram etter møtet 2. september."),
        ("planstrategien for 2026–2030, med", "planstrategien for 2027–2031, med"),
        ("Søknadsfristen blir 1. mars kvart år.", "Søknadsfristen blir 1. mars kvart år."),
        ("2000 kroner i året", "2000 kroner i året"),
        ("sak 2026/411 og sak/2024-1187", "sak 2026/411 og sak/2024-1187"),
        ("2026-12-03T10:00:00+01:00", "2027-09-02T10:00:00+02:00"),
        ("2026-11-20T08:00:00Z", "2027-08-20T08:00:00Z"),
    ],
)
def test_dates_in_text(text: str, expected: str) -> None:
    assert shift_text(text, 273, REFERENCE) == expected
