"""How the audit log reads for people (pure): action names in Nynorsk and Bokmål, details
decoded, and the date filter's days as a UTC window.

- `action_label(code, texts, malform)`: "Opna eit innspel" for `view_input`; a bulk action
  (`bulk_hide`) is named after its action; an unknown code is shown as it is.
- `decoded_detail(detail)`: a query string ("case=26%2F411&status=new") as
  "case: 26/411 · status: new", "nn->nb" as "nn → nb".
- `day_window(since, until)`: the Oslo days from and to (both included) as [start, end) in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl

from medverk.clock import TIMEZONE
from medverk.officers.texts import OfficerTexts

__all__ = ["action_label", "day_window", "decoded_detail", "parse_day"]

_BULK = "bulk_"


def action_label(code: str, texts: OfficerTexts, malform: str) -> str:
    """The action's name in `malform`, or the code itself when it has none."""
    key = f"audit_{code}"
    if key in texts.ui_texts:
        return texts.ui(key, malform)
    if code.startswith(_BULK) and f"audit_{code[len(_BULK) :]}" in texts.ui_texts:
        inner = texts.ui(f"audit_{code[len(_BULK) :]}", malform)
        return texts.ui("audit_bulk", malform, action=inner)
    return code


def decoded_detail(detail: str | None) -> str:
    """The detail as a person reads it; plain text is left as it is."""
    if not detail:
        return ""
    if "=" in detail and " " not in detail.split("=", 1)[0]:
        pairs = parse_qsl(detail, keep_blank_values=True)
        if pairs and all(key and " " not in key for key, _ in pairs):
            return " · ".join(f"{key}: {value}" for key, value in pairs)
    return detail.replace("->", " → ")


def parse_day(raw: str) -> date | None:
    """A date from a date field ("2026-12-02"); None when empty or not a date."""
    try:
        return date.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


def day_window(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Local days `since` … `until` (both included) as a UTC [start, end) window."""

    def start_of(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=TIMEZONE)

    start = start_of(since) if since else None
    end = start_of(until + timedelta(days=1)) if until else None
    return start, end
