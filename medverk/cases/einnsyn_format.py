"""Turns eInnsyn JSON (Moetemappe, Moetesak, Moetesaksbeskrivelse, Vedtak) into records.

Field names follow the eInnsyn OpenAPI spec. Medverk also reads two
conventions the spec leaves open: a hearing deadline written in the
`beskrivelse` ("Høyringsfrist: 15. desember 2026."), and `externalId` as the
public link when it is a web address. Objects that are not expanded (plain id
strings) are skipped for what they would have told.

Errors: `CaseFormatError` (a `ValueError`) for an object that is not the
eInnsyn shape.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timezone
from typing import Any

from medverk.cases.caseref import display_case_ref
from medverk.cases.records import AgendaItemRecord, CaseBatch, MeetingRecord
from medverk.cases.terms import is_youth_text, text_terms
from medverk.texts.dates import parse_norwegian_date

__all__ = ["CaseFormatError", "batch_from_moetemapper", "hearing_deadline", "plain_text"]


class CaseFormatError(ValueError):
    """An object in the case data does not have the eInnsyn shape Medverk needs."""


_DEADLINE = re.compile(
    r"(?:høyringsfrist|høringsfrist|frist for innspel|frist for innspill|svarfrist)"
    r"\s*[:\-–]?\s*(.{0,40})",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
# The deadline sentence, removed from the summary shown to users (the deadline has its own line).
_DEADLINE_SENTENCE = re.compile(
    r"\s*(?:høyringsfrist|høringsfrist|frist for innspel|frist for innspill|svarfrist)"
    r"\s*[:\-–]?[^\n]{0,40}?\d{4}\.?",
    re.IGNORECASE,
)


def plain_text(value: Any) -> str | None:
    """Text of a Moetesaksbeskrivelse (HTML stripped) or a plain string; None if absent."""
    if isinstance(value, dict):
        text = value.get("tekstInnhold")
        if not isinstance(text, str):
            return None
        if "html" in str(value.get("tekstFormat", "")).lower():
            text = html.unescape(_TAG.sub(" ", text))
        value = text
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def hearing_deadline(*texts: str | None, default_year: int | None = None) -> date | None:
    """The hearing deadline written in a case text ("Høyringsfrist: 15. desember 2026")."""
    for text in texts:
        if not text:
            continue
        for match in _DEADLINE.finditer(text):
            found = parse_norwegian_date(match.group(1), default_year=default_year)
            if found:
                return found
    return None


def _datetime(value: Any, field_name: str) -> datetime:
    if not isinstance(value, str):
        raise CaseFormatError(f"{field_name} missing or not a string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CaseFormatError(f"{field_name} is not an ISO date-time: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _link(obj: dict[str, Any]) -> str | None:
    external = obj.get("externalId")
    if isinstance(external, str) and external.startswith(("https://", "http://")):
        return external
    return None


def _string(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _committee_code(obj: dict[str, Any]) -> str | None:
    utvalg = obj.get("utvalgObjekt")
    if isinstance(utvalg, dict):
        return _string(utvalg, "enhetskode") or _string(utvalg, "id")
    return utvalg if isinstance(utvalg, str) else None


def meeting_record(obj: dict[str, Any], municipality: str) -> MeetingRecord:
    """A meeting from a Moetemappe."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise CaseFormatError("Moetemappe without an id")
    committee = _string(obj, "utvalg")
    if committee is None:
        raise CaseFormatError(f"Moetemappe {obj['id']} has no utvalg")
    return MeetingRecord(
        id=obj["id"],
        committee=committee,
        committee_code=_committee_code(obj),
        meeting_date=_datetime(obj.get("moetedato"), "moetedato"),
        place=_string(obj, "moetested"),
        title=_string(obj, "offentligTittel") or committee,
        url=_link(obj),
        municipality=municipality,
    )


def item_record(
    obj: dict[str, Any],
    meeting: MeetingRecord | None,
    municipality: str,
    *,
    is_sample: bool,
) -> AgendaItemRecord | None:
    """An agenda item from a Moetesak; None for one without a case number or title."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise CaseFormatError("Moetesak without an id")
    year, number = obj.get("moetesaksaar"), obj.get("moetesakssekvensnummer")
    title = _string(obj, "offentligTittel")
    if not isinstance(year, int) or not isinstance(number, int) or title is None:
        return None
    case_ref = f"{year}/{number}"
    committee = _string(obj, "utvalg") or (meeting.committee if meeting else "")
    summary = _string(obj, "beskrivelse")
    recommendation = plain_text(obj.get("innstilling"))
    vedtak = obj.get("vedtak")
    decision = plain_text(vedtak.get("vedtakstekst")) if isinstance(vedtak, dict) else None
    decision_date = _date(vedtak.get("dato")) if isinstance(vedtak, dict) else None
    meeting_date = meeting.meeting_date if meeting else None
    default_year = meeting_date.year if meeting_date else year
    title_terms = text_terms(title)
    body_terms = text_terms(" ".join(filter(None, (summary, recommendation))))
    all_terms = list(dict.fromkeys([*title_terms, *body_terms]))
    youth = "ungdom" in committee.lower() or is_youth_text(all_terms)
    return AgendaItemRecord(
        id=obj["id"],
        meeting_id=meeting.id if meeting else None,
        case_ref=case_ref,
        item_ref=display_case_ref(case_ref),
        title=title,
        summary=_DEADLINE_SENTENCE.sub("", summary).strip() if summary else None,
        committee=committee,
        meeting_date=meeting_date,
        recommendation=recommendation,
        decision=decision,
        decision_date=decision_date,
        hearing_deadline=hearing_deadline(summary, recommendation, default_year=default_year),
        topics=" ".join(title_terms),
        search_text=f" {' '.join(all_terms)} ",
        for_youth=youth,
        url=_link(obj) or (meeting.url if meeting else None),
        municipality=municipality,
        is_sample=is_sample,
    )


def batch_from_moetemapper(
    moetemapper: list[dict[str, Any]], municipality: str, *, is_sample: bool = False
) -> CaseBatch:
    """Meetings and their expanded agenda items; unexpanded item ids are left out."""
    batch = CaseBatch()
    for obj in moetemapper:
        if isinstance(obj, dict) and obj.get("deleted") is True:
            continue
        meeting = meeting_record(obj, municipality)
        batch.meetings.append(meeting)
        for sak in obj.get("moetesak") or []:
            if isinstance(sak, dict) and sak.get("deleted") is not True:
                item = item_record(sak, meeting, municipality, is_sample=is_sample)
                if item is not None:
                    batch.items.append(item)
    return batch
