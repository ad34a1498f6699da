"""Dates as Norwegians write them: "tysdag 3. desember" (nn), "tirsdag 3. desember" (nb).

Relative dates follow the same split: "om 5 dagar" / "om 5 dager",
"i morgon" / "i morgen", "for 2 veker sidan" / "for 2 uker siden".
"""

from __future__ import annotations

import re
from datetime import date, datetime

from medverk.clock import TIMEZONE, as_utc

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "format_date",
    "format_datetime",
    "format_relative",
    "format_time",
    "parse_norwegian_date",
]

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"),
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
}

MONTHS: tuple[str, ...] = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)

# (one, many) for each unit; Nynorsk and Bokmål differ in every plural.
_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "nn": {"day": ("dag", "dagar"), "week": ("veke", "veker"), "month": ("månad", "månader")},
    "nb": {"day": ("dag", "dager"), "week": ("uke", "uker"), "month": ("måned", "måneder")},
}
_NEAR: dict[str, dict[int, str]] = {
    "nn": {-2: "i forgårs", -1: "i går", 0: "i dag", 1: "i morgon", 2: "i overmorgon"},
    "nb": {-2: "i forgårs", -1: "i går", 0: "i dag", 1: "i morgen", 2: "i overmorgen"},
}
_AGO: dict[str, tuple[str, str]] = {"nn": ("for", "sidan"), "nb": ("for", "siden")}


def _check(malform: str) -> str:
    if malform not in WEEKDAYS:
        raise ValueError(f"målform must be 'nn' or 'nb', not {malform!r}")
    return malform


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return as_utc(value).astimezone(TIMEZONE).date()
    return value


def format_date(
    value: date | datetime, malform: str, *, today: date | None = None, weekday: bool = True
) -> str:
    """`tysdag 3. desember` (nn) / `tirsdag 3. desember` (nb); the year only when not this year."""
    malform = _check(malform)
    day = _local_date(value)
    text = f"{day.day}. {MONTHS[day.month - 1]}"
    if today is None or day.year != today.year:
        text += f" {day.year}"
    if weekday:
        text = f"{WEEKDAYS[malform][day.weekday()]} {text}"
    return text


def format_time(value: datetime) -> str:
    """Clock time in the municipality's zone, the Norwegian way: `kl. 18.00`."""
    local = as_utc(value).astimezone(TIMEZONE)
    return f"kl. {local.hour:02d}.{local.minute:02d}"


def format_datetime(value: datetime, malform: str, *, today: date | None = None) -> str:
    """`tysdag 3. desember kl. 18.00`."""
    return f"{format_date(value, malform, today=today)} {format_time(value)}"


def _count(n: int, unit: str, malform: str) -> str:
    one, many = _UNITS[malform][unit]
    return f"{n} {one if n == 1 else many}"


def format_relative(value: date | datetime, today: date, malform: str) -> str:
    """How far `value` is from `today`: `i dag`, `i går`, `om 5 dagar`, `for 3 veker sidan`."""
    malform = _check(malform)
    delta = (_local_date(value) - today).days
    if delta in _NEAR[malform]:
        return _NEAR[malform][delta]
    span = abs(delta)
    if span < 21:
        amount = _count(span, "day", malform)
    elif span < 60:
        amount = _count(round(span / 7), "week", malform)
    else:
        amount = _count(round(span / 30.44), "month", malform)
    if delta > 0:
        return f"om {amount}"
    before, after = _AGO[malform]
    return f"{before} {amount} {after}"


_MONTH_PATTERN = "|".join(MONTHS)
_NORWEGIAN_DATE = re.compile(
    rf"\b(\d{{1,2}})\.\s*({_MONTH_PATTERN})\b(?:\s+(\d{{4}}))?", re.IGNORECASE
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def parse_norwegian_date(text: str, *, default_year: int | None = None) -> date | None:
    """The first date in `text`: `15. desember 2026`, `15.12.2026` or `2026-12-15`."""
    candidates: list[tuple[int, date]] = []
    for match in _NORWEGIAN_DATE.finditer(text):
        year = match.group(3)
        if year is None and default_year is None:
            continue
        try:
            day = date(
                int(year) if year else default_year,  # type: ignore[arg-type]
                MONTHS.index(match.group(2).lower()) + 1,
                int(match.group(1)),
            )
        except ValueError:
            continue
        candidates.append((match.start(), day))
    for match in _ISO_DATE.finditer(text):
        try:
            candidates.append((match.start(), date(int(match[1]), int(match[2]), int(match[3]))))
        except ValueError:
            continue
    for match in _NUMERIC_DATE.finditer(text):
        try:
            candidates.append((match.start(), date(int(match[3]), int(match[2]), int(match[1]))))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[0])[1]
