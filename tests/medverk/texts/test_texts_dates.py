"""Norwegian dates in Nynorsk and Bokmål, absolute and relative to today."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from medverk.texts import (
    format_date,
    format_datetime,
    format_relative,
    join_words,
    parse_norwegian_date,
    shorten,
)

# Reads today's date or the time: `make test-dates` runs it again under libfaketime.
pytestmark = pytest.mark.calendar

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("day", "nn", "nb"),
    [
        (date(2026, 12, 1), "tysdag 1. desember", "tirsdag 1. desember"),
        (date(2026, 12, 5), "laurdag 5. desember", "lørdag 5. desember"),
        (date(2026, 11, 30), "måndag 30. november", "mandag 30. november"),
        (date(2027, 2, 11), "torsdag 11. februar 2027", "torsdag 11. februar 2027"),
    ],
)
def test_weekday_and_month_in_both_malformer(day: date, nn: str, nb: str) -> None:
    """Weekdays differ between the målformer; the year shows only when it is not this year."""
    assert format_date(day, "nn", today=TODAY) == nn
    assert format_date(day, "nb", today=TODAY) == nb


def test_meeting_time_is_local() -> None:
    """A UTC instant is shown in Norwegian local time (winter: UTC+1), `kl. 18.00`."""
    start = datetime(2026, 12, 17, 17, 0, tzinfo=timezone.utc)
    assert format_datetime(start, "nn", today=TODAY) == "torsdag 17. desember kl. 18.00"
    naive_utc = datetime(2026, 12, 17, 17, 0)
    assert format_datetime(naive_utc, "nb", today=TODAY) == "torsdag 17. desember kl. 18.00"


@pytest.mark.parametrize(
    ("days", "nn", "nb"),
    [
        (0, "i dag", "i dag"),
        (1, "i morgon", "i morgen"),
        (-1, "i går", "i går"),
        (2, "i overmorgon", "i overmorgen"),
        (5, "om 5 dagar", "om 5 dager"),
        (-3, "for 3 dagar sidan", "for 3 dager siden"),
        (17, "om 17 dagar", "om 17 dager"),
        (28, "om 4 veker", "om 4 uker"),
        (-35, "for 5 veker sidan", "for 5 uker siden"),
        (75, "om 2 månader", "om 2 måneder"),
    ],
)
def test_relative_dates(days: int, nn: str, nb: str) -> None:
    """Relative dates use each målform's plural: dagar/dager, veker/uker, sidan/siden."""
    from datetime import timedelta

    day = TODAY + timedelta(days=days)
    assert format_relative(day, TODAY, "nn") == nn
    assert format_relative(day, TODAY, "nb") == nb


def test_unknown_malform_is_refused() -> None:
    """Only nn and nb exist; anything else is a programming error, not a silent default."""
    with pytest.raises(ValueError, match="målform"):
        format_date(TODAY, "en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Høyringsfrist: 15. desember 2026.", date(2026, 12, 15)),
        ("frist 2027-01-08", date(2027, 1, 8)),
        ("innan 05.01.2027 kl. 12", date(2027, 1, 5)),
        ("ingen dato her", None),
        ("31. februar 2027", None),
    ],
)
def test_parse_norwegian_date(text: str, expected: date | None) -> None:
    """Written, ISO and dotted dates are read; impossible dates are not."""
    assert parse_norwegian_date(text) == expected


def test_parse_without_year_needs_a_default() -> None:
    """`15. desember` alone takes the year it is given."""
    assert parse_norwegian_date("15. desember") is None
    assert parse_norwegian_date("15. desember", default_year=2026) == date(2026, 12, 15)


def test_join_and_shorten() -> None:
    """Lists read `a, b og c`; long titles are cut at a word with an ellipsis."""
    assert join_words(["a", "b", "c"], "nn") == "a, b og c"
    assert join_words(["a"], "nb") == "a"
    assert shorten("Nytt kulturhus i sentrum – val av konsept", 25) == "Nytt kulturhus i sentrum…"
    assert shorten("kort", 25) == "kort"
