"""The officers' inbox: filtered, searched, paged lists of citizens' input.

One `InboxFilter` drives the inbox page, the CSV export and the JSON API, so
the three always agree. Dates in a filter are calendar days in the
municipality's time zone. The queries live in `medverk.store.inbox_repo`;
this module parses the filter and re-exports them for its callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement

from medverk.names import CHANNELS, MALFORMS
from medverk.store import inbox_repo
from medverk.store.inbox_repo import (
    ALL_STATUSES,
    ASSIGNED_NONE,
    ASSIGNED_TO_ME,
    NO_AGE_GROUP,
    FilterOptions,
    InboxPage,
    age_order,
    filter_options,
    iter_inputs,
    iter_rows,
    search,
)
from medverk.store.models.inputs import INPUT_STATUSES

__all__ = [
    "ALL_STATUSES",
    "ASSIGNED_NONE",
    "ASSIGNED_TO_ME",
    "NO_AGE_GROUP",
    "PAGE_SIZES",
    "REPLY_CHOICES",
    "FilterOptions",
    "InboxFilter",
    "InboxPage",
    "filter_options",
    "iter_inputs",
    "iter_rows",
    "search",
]

MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 200
PAGE_SIZES = (50, 100, 200)
# "wants": the citizen asked for an answer; "waiting": asked and not answered yet.
REPLY_CHOICES = ("wants", "waiting")


def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw.strip()) if raw and raw.strip() else None
    except ValueError:
        return None


def _parse_int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return max(low, min(high, value))


@dataclass(frozen=True)
class InboxFilter:
    """What the officer asked to see; every field empty means 'all but hidden'."""

    case_ref: str = ""
    committee: str = ""
    status: str = ""
    malform: str = ""
    channel: str = ""
    age_groups: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    reply: str = ""
    # "me", "none" or an officer's id; `viewer_id` (never in the URL) resolves "me".
    assigned: str = ""
    tag: str = ""
    # Only input the abuse word list flagged (`medverk.inputs.abuse`).
    abuse: bool = False
    page: int = 1
    per_page: int = 50
    viewer_id: int | None = None

    @classmethod
    def from_query(
        cls, query: Mapping[str, str], *, per_page: int = 50, viewer_id: int | None = None
    ) -> InboxFilter:
        """Build a filter from URL query parameters, ignoring values that make no sense.

        Age groups may come as repeated parameters (checkboxes) or comma-separated.
        """

        def get(name: str) -> str:
            return (query.get(name) or "").strip()[:MAX_QUERY_LENGTH]

        getall = getattr(query, "getall", None)
        raw_ages = getall("age_group", []) if getall else [query.get("age_group") or ""]
        ages: list[str] = []
        for raw in raw_ages:
            for group in str(raw).split(","):
                group = group.strip()[:20]
                if group and group not in ages:
                    ages.append(group)
        assigned = get("assigned")
        if assigned not in (ASSIGNED_TO_ME, ASSIGNED_NONE) and not assigned.isdigit():
            assigned = ""
        reply = get("reply")

        status = get("status")
        if status not in (*INPUT_STATUSES, ALL_STATUSES):
            status = ""
        malform = get("malform")
        channel = get("channel")
        return cls(
            case_ref=get("case"),
            committee=get("committee"),
            status=status,
            malform=malform if malform in MALFORMS else "",
            channel=channel if channel in CHANNELS else "",
            age_groups=tuple(sorted(ages, key=age_order)),
            date_from=_parse_date(query.get("from")),
            date_to=_parse_date(query.get("to")),
            q=get("q"),
            reply=reply if reply in REPLY_CHOICES else "",
            assigned=assigned,
            tag=get("tag")[:60],
            abuse=get("abuse") == "1",
            page=_parse_int(query.get("page"), 1, 1, 1_000_000),
            per_page=_parse_int(query.get("per_page"), per_page, 1, MAX_PER_PAGE),
            viewer_id=viewer_id,
        )

    def to_query(self, **changes: object) -> dict[str, str]:
        """URL query parameters for this filter (empty ones left out), with changes."""
        f = replace(self, **changes)  # type: ignore[arg-type]
        pairs = {
            "case": f.case_ref,
            "committee": f.committee,
            "status": f.status,
            "malform": f.malform,
            "channel": f.channel,
            "age_group": ",".join(f.age_groups),
            "from": f.date_from.isoformat() if f.date_from else "",
            "to": f.date_to.isoformat() if f.date_to else "",
            "q": f.q,
            "reply": f.reply,
            "assigned": f.assigned,
            "tag": f.tag,
            "abuse": "1" if f.abuse else "",
            "per_page": str(f.per_page) if f.per_page in PAGE_SIZES[1:] else "",
            "page": str(f.page) if f.page != 1 else "",
        }
        return {key: value for key, value in pairs.items() if value}

    def conditions(self, *, with_status: bool = True) -> list[ColumnElement[bool]]:
        """SQL conditions for this filter (`medverk.store.inbox_repo.conditions`)."""
        return inbox_repo.conditions(self, with_status=with_status)

    def statuses(self) -> tuple[str, ...]:
        """The statuses this filter shows."""
        if self.status in INPUT_STATUSES:
            return (self.status,)
        if self.status == ALL_STATUSES:
            return INPUT_STATUSES
        return tuple(s for s in INPUT_STATUSES if s != "hidden")
