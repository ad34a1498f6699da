"""The project's one clock: today's date and now, in the municipality's time zone.

Everything that asks "what is today / now" comes here: dates in replies,
deadlines, retention, `created_at` defaults, reports and tests' fixtures.
`MEDVERK_TODAY=YYYY-MM-DD` pins the date (for tests and demos; the time of day
stays the real one); otherwise the real date is used, because hearings close
and meetings pass.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

__all__ = ["TIMEZONE", "as_utc", "now", "today", "utcnow"]

TIMEZONE = ZoneInfo(os.environ.get("MEDVERK_TIMEZONE", "Europe/Oslo"))


def now() -> datetime:
    """Current time in the municipality's time zone (pinned date keeps the clock time)."""
    real = datetime.now(TIMEZONE)
    pinned = os.environ.get("MEDVERK_TODAY", "").strip()
    if pinned:
        day = date.fromisoformat(pinned)
        return real.replace(year=day.year, month=day.month, day=day.day)
    return real


def today() -> date:
    """Today's date in the municipality's time zone."""
    return now().date()


def utcnow() -> datetime:
    """The same moment as `now()`, in UTC: what the store writes and compares."""
    return now().astimezone(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """`value` as an aware UTC datetime; a naive one is taken to be UTC already.

    The one rule for naive datetimes. The store's `UtcDateTime` column type applies
    it, so datetimes read from the store are always aware and need no fixing.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
