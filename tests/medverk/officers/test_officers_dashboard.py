"""Dashboards: counts per case, committee and week, share answered, median time to answer."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from medverk.officers.dashboard import build_dashboard, median_hours, weekly
from medverk.store.models import Input

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)  # a Wednesday, ISO week 49


def test_weekly_sums_days_into_iso_weeks_and_shows_empty_weeks() -> None:
    days = [
        (date(2026, 11, 30), 3, 1),  # Monday of week 49
        (date(2026, 12, 2), 2, 2),  # same week
        (date(2026, 11, 18), 4, 0),  # week 47
        (date(2026, 10, 1), 9, 9),  # before the window: left out
    ]
    weeks = weekly(days, date(2026, 12, 2), 3)
    assert [(w.monday, w.total, w.answered) for w in weeks] == [
        (date(2026, 11, 16), 4, 0),
        (date(2026, 11, 23), 0, 0),
        (date(2026, 11, 30), 5, 3),
    ]


def test_median_hours() -> None:
    assert median_hours([]) is None
    assert median_hours([1.0, 10.0, 4.0]) == 4.0


def _input(
    case_ref: str, committee: str, created: datetime, status: str = "new", **extra: object
) -> Input:
    return Input(
        idempotency_key=uuid.uuid4().hex,
        case_ref=case_ref,
        case_title=f"Sak {case_ref}",
        committee=committee,
        text="Tekst",
        malform="nn",
        channel="web",
        sender_key="s" * 64,
        status=status,
        created_at=created,
        updated_at=created,
        **extra,
    )


async def test_build_dashboard_counts_and_medians(sessionmaker) -> None:
    day = timedelta(days=1)
    async with sessionmaker.begin() as db:
        db.add_all(
            [
                _input("26/1", "Ungdomsrådet", NOW - day, wants_reply=True),
                _input("26/1", "Ungdomsrådet", NOW - 2 * day, "answered",
                       answered_at=NOW - 2 * day + timedelta(hours=2)),
                _input("26/1", "Ungdomsrådet", NOW - 8 * day, "answered",
                       answered_at=NOW - 8 * day + timedelta(hours=6)),
                _input("26/1", "Ungdomsrådet", NOW - day, "hidden"),
                _input("26/2", "Formannskapet", NOW - 9 * day, "answered",
                       answered_at=NOW - 9 * day + timedelta(hours=30)),
                _input("26/2", "Formannskapet", NOW - 100 * day, "read"),
            ]
        )  # fmt: skip
    async with sessionmaker() as db:
        overall = await build_dashboard(db, weeks=4, now=NOW)
        one = await build_dashboard(db, "Ungdomsrådet", weeks=4, now=NOW)

    assert (overall.overall.total, overall.overall.answered, overall.overall.waiting) == (5, 3, 1)
    assert overall.overall.share_answered == 60
    assert overall.overall.median_hours == 6.0
    by_case = {g.key: g for g in overall.cases}
    assert (by_case["26/1"].total, by_case["26/1"].answered, by_case["26/1"].new) == (3, 2, 1)
    assert by_case["26/1"].median_hours == 4.0
    assert by_case["26/2"].median_hours == 30.0
    assert [(g.key, g.total, g.median_hours) for g in overall.committees] == [
        ("Formannskapet", 2, 30.0),
        ("Ungdomsrådet", 3, 4.0),
    ]
    # Weeks 46-49; the 100-day-old input is outside, the hidden one never counts.
    assert [(w.monday.isocalendar()[1], w.total, w.answered) for w in overall.weeks] == [
        (46, 0, 0),
        (47, 0, 0),
        (48, 2, 2),
        (49, 2, 1),
    ]

    assert one.committees == []
    assert [g.key for g in one.cases] == ["26/1"]
    assert (one.overall.total, one.overall.share_answered, one.overall.median_hours) == (3, 67, 4.0)
