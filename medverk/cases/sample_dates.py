"""Keep the shipped sample municipality current: move its dates by whole weeks to today.

A case file marked `"sample": true` may declare the day its dates were written,
`"referansedato": "2026-11-28"`. When such a file is read, every date in it —
meeting times, decision dates, deadlines and dates written in the text
("Høyringsfrist: 8. januar 2027", "etter møtet 3. desember"), years named in the
text ("ferdig hausten 2027") — moves by the whole number of weeks between that
reference date and today. Whole weeks keep every weekday true, so the demo always
has past decisions, meetings in the coming weeks and an open hearing. Within the
first week (today from the reference date to six days after) the file reads
exactly as written.

Real case data (eInnsyn, a municipality's own files without `"sample": true` or
without a reference date) is never shifted: that is the caller's rule, kept in
`FileCaseSource`, and `shift_document` refuses a document that is not a sample.
Case numbers (`2026/411`, `moetesaksaar`) are names, not dates, and never move.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from medverk.clock import TIMEZONE
from medverk.texts.dates import MONTHS

__all__ = ["REFERENCE_KEY", "reference_date", "shift_days", "shift_document", "shift_text"]

REFERENCE_KEY = "referansedato"

# 2026-12-03, 2026-12-03T10:00:00+01:00, 2026-11-20T08:00:00Z (not part of a longer number).
_ISO = re.compile(
    r"(?<![\d/])(\d{4})-(\d{2})-(\d{2})"
    r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\d/])"
)
_MONTH_NAMES = "|".join(MONTHS)
# "8. januar 2027", "3. desember" — but not "1. mars kvart år" (a yearly rule, not a day).
_WRITTEN = re.compile(
    rf"(?<!\d)(\d{{1,2}})\.\s+({_MONTH_NAMES})(?:\s+(\d{{4}}))?(?!\s+(?:kvart|hvert)\s+år)",
    re.IGNORECASE,
)
# A year on its own: "i 2027", "2026–2030"; not a case number (2026/411) nor an amount.
_YEAR = re.compile(r"(?<![\d/])(?<!\d[.,])(20[2-9]\d)(?![\d/]|[.,]\d|\s*(?:kr|kroner)\b)")


def reference_date(document: dict[str, Any]) -> date | None:
    """The declared day a sample file's dates were written, if it is a sample that has one."""
    if document.get("sample") is not True:
        return None
    value = document.get(REFERENCE_KEY)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def shift_days(reference: date, today: date) -> int:
    """Days to move the dates: the whole weeks from `reference` to `today`, times seven."""
    return (today - reference).days // 7 * 7


def _shift_iso(match: re.Match[str], days: int) -> str:
    year, month, day, time_part = match.groups()
    try:
        original = date(int(year), int(month), int(day))
    except ValueError:
        return match.group(0)
    if not time_part:
        return (original + timedelta(days=days)).isoformat()
    text = match.group(0)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return (parsed + timedelta(days=days)).isoformat()
    if text.endswith("Z"):
        moved = parsed.astimezone(timezone.utc) + timedelta(days=days)
        return moved.isoformat().replace("+00:00", "Z")
    # The same wall-clock time in the municipality, with the offset of the new day.
    local = parsed.astimezone(TIMEZONE).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=TIMEZONE).isoformat()


def _year_near(reference: date, month: int, day: int) -> int:
    """The year of a yearless "3. desember": the one that puts it nearest the reference date."""
    best = reference.year
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = date(year, month, day)
            current = date(best, month, day)
        except ValueError:
            continue
        if abs((candidate - reference).days) < abs((current - reference).days):
            best = year
    return best


def _shift_written(match: re.Match[str], days: int, reference: date) -> str:
    day_text, month_name, year_text = match.groups()
    month = MONTHS.index(month_name.lower()) + 1
    year = int(year_text) if year_text else _year_near(reference, month, int(day_text))
    try:
        moved = date(year, month, int(day_text)) + timedelta(days=days)
    except ValueError:
        return match.group(0)
    written = f"{moved.day}. {MONTHS[moved.month - 1]}"
    return f"{written} {moved.year}" if year_text else written


def shift_text(text: str, days: int, reference: date) -> str:
    """Every date and year in one string, moved by `days` (a multiple of seven)."""
    if days == 0:
        return text
    year_delta = (reference + timedelta(days=days)).year - reference.year
    placeholders: list[str] = []

    def keep(replacement: str) -> str:
        placeholders.append(replacement)
        return f"\x00{len(placeholders) - 1}\x00"

    text = _ISO.sub(lambda m: keep(_shift_iso(m, days)), text)
    text = _WRITTEN.sub(lambda m: keep(_shift_written(m, days, reference)), text)
    if year_delta:
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + year_delta), text)
    return re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], text)


def _shift_value(value: Any, days: int, reference: date) -> Any:
    if isinstance(value, str):
        return shift_text(value, days, reference)
    if isinstance(value, list):
        return [_shift_value(item, days, reference) for item in value]
    if isinstance(value, dict):
        return {
            key: item if key == REFERENCE_KEY else _shift_value(item, days, reference)
            for key, item in value.items()
        }
    return value  # numbers (moetesaksaar, sequence numbers), booleans, null


def shift_document(document: dict[str, Any], today: date) -> dict[str, Any]:
    """A sample file's document with its dates moved to today; anything else unchanged."""
    reference = reference_date(document)
    if reference is None:
        return document
    days = shift_days(reference, today)
    if days == 0:
        return document
    shifted = _shift_value(document, days, reference)
    assert isinstance(shifted, dict)
    return shifted
