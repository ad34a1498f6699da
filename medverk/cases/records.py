"""Source-neutral case records: what every case source yields and the sync stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = ["AgendaItemRecord", "CaseBatch", "MeetingRecord"]


@dataclass(frozen=True)
class MeetingRecord:
    """One meeting of a committee (from an eInnsyn Moetemappe)."""

    id: str
    committee: str
    committee_code: str | None
    meeting_date: datetime
    place: str | None
    title: str
    url: str | None
    municipality: str


@dataclass(frozen=True)
class AgendaItemRecord:
    """One agenda item (from an eInnsyn Moetesak), with what the sync derives from it."""

    id: str
    meeting_id: str | None
    case_ref: str
    item_ref: str | None
    title: str
    summary: str | None
    committee: str
    meeting_date: datetime | None
    recommendation: str | None
    decision: str | None
    decision_date: date | None
    hearing_deadline: date | None
    topics: str
    search_text: str
    for_youth: bool
    url: str | None
    municipality: str
    is_sample: bool


@dataclass
class CaseBatch:
    """Everything one source delivered in one sync: meetings and their agenda items."""

    meetings: list[MeetingRecord] = field(default_factory=list)
    items: list[AgendaItemRecord] = field(default_factory=list)
