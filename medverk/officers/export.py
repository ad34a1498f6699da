"""Input as files a Norwegian office opens: `.xlsx` and CSV with `;`.

Column names and values (status, målform, channel, yes/no) come from
`officer.yml` in the app's målform; times are local (Europe/Oslo). Both files
are built from the same rows, so they always agree.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import TIMEZONE
from medverk.officers.inbox import InboxFilter, iter_rows
from medverk.officers.texts import OfficerTexts
from medverk.store import workflow_repo
from medverk.store.models import Input

__all__ = [
    "COLUMNS",
    "ExportRow",
    "csv_cell",
    "csv_chunks",
    "export_file_name",
    "filter_rows",
    "headers",
    "rows_of",
    "xlsx_bytes",
]

# (key in officer.yml after "col_", width in the spreadsheet)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("id", 8),
    ("created_at", 17),
    ("case_ref", 12),
    ("case_title", 30),
    ("committee", 18),
    ("status", 10),
    ("malform", 10),
    ("channel", 11),
    ("age_group", 12),
    ("wants_reply", 10),
    ("tags", 20),
    ("assigned_to", 16),
    ("text", 60),
    ("answer", 40),
    ("answered_at", 17),
    ("hidden_reason", 25),
    ("flags", 18),
)
_EXPORTED = (
    Input.id,
    Input.created_at,
    Input.case_ref,
    Input.case_title,
    Input.committee,
    Input.status,
    Input.malform,
    Input.channel,
    Input.age_group,
    Input.wants_reply,
    Input.assigned_to,
    Input.text,
    Input.answer,
    Input.answered_at,
    Input.hidden_reason,
    Input.demo,
    Input.abuse_flag,
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ExportRow = list[Any]
BATCH = 1000


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _local(value: datetime | None) -> datetime | None:
    """Local wall-clock time without a zone (spreadsheets have no zones)."""
    return value.astimezone(TIMEZONE).replace(tzinfo=None) if value else None


def _label(texts: OfficerTexts, malform: str, prefix: str, value: str) -> str:
    key = f"{prefix}_{value}"
    return texts.ui(key, malform) if key in texts.ui_texts else value


def _flags(texts: OfficerTexts, malform: str, item: Any) -> str:
    """ "Demo" for demo input, "Mogleg krenkjande" for flagged input."""
    marks = [("demo_mark", item.demo), ("abuse_flag", item.abuse_flag)]
    return ", ".join(texts.ui(key, malform) for key, on in marks if on)


def _row(
    item: Any,
    texts: OfficerTexts,
    malform: str,
    tags: dict[int, list[str]],
    names: dict[int, str],
) -> ExportRow:
    return [
        int(item.id),
        _local(item.created_at),
        item.case_ref,
        item.case_title,
        item.committee,
        _label(texts, malform, "status", item.status),
        _label(texts, malform, "malform", item.malform),
        _label(texts, malform, "channel", item.channel),
        item.age_group or texts.ui("no_age_group", malform),
        texts.ui("yes" if item.wants_reply else "no", malform),
        ", ".join(tags.get(int(item.id), [])),
        names.get(item.assigned_to, "") if item.assigned_to else "",
        item.text,
        item.answer or "",
        _local(item.answered_at),
        item.hidden_reason or "",
        _flags(texts, malform, item),
    ]


async def _named(session: AsyncSession) -> dict[int, str]:
    return {oid: name for oid, name, _active in await workflow_repo.officer_names(session)}


async def filter_rows(
    session: AsyncSession, inbox_filter: InboxFilter, texts: OfficerTexts, malform: str
) -> AsyncIterator[list[ExportRow]]:
    """Every input matching the filter as export rows, newest first, in batches."""
    names = await _named(session)
    batch: list[Any] = []
    async for item in iter_rows(session, inbox_filter, _EXPORTED):
        batch.append(item)
        if len(batch) >= BATCH:
            tags = await workflow_repo.tags_of(session, (i.id for i in batch))
            yield [_row(i, texts, malform, tags, names) for i in batch]
            batch = []
    if batch:
        tags = await workflow_repo.tags_of(session, (i.id for i in batch))
        yield [_row(i, texts, malform, tags, names) for i in batch]


async def rows_of(
    session: AsyncSession, items: Sequence[Input], texts: OfficerTexts, malform: str
) -> list[ExportRow]:
    """The given inputs (a bulk selection) as export rows."""
    names = await _named(session)
    tags = await workflow_repo.tags_of(session, (i.id for i in items))
    return [_row(i, texts, malform, tags, names) for i in items]


def headers(texts: OfficerTexts, malform: str) -> list[str]:
    """The column names in the app's målform."""
    return [texts.ui(f"col_{key}", malform) for key, _width in COLUMNS]


def _csv_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return csv_cell(value)


def csv_chunks(header: list[str], rows: Iterable[ExportRow], *, first: bool) -> str:
    """CSV text for Norwegian Excel: `;` between cells, CRLF, BOM before the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if first:
        buffer.write("\ufeff")
        writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def xlsx_bytes(header: list[str], rows: Iterable[ExportRow], sheet_title: str) -> bytes:
    """An .xlsx workbook: bold header row, frozen, filters on, dates as dates, and
    every text stored as text (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, (_key, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"
    head = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        head.append(cell)
    sheet.append(head)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "dd.mm.yyyy hh:mm"
            elif isinstance(value, str):
                cell.data_type = "s"  # "=..." stays text
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file_name(base: str, case_ref: str, day: date, extension: str) -> str:
    """E.g. innspel-2026-411-2026-12-02.xlsx: the case (if one) and the day."""
    case_part = re.sub(r"[^0-9A-Za-z]+", "-", case_ref).strip("-")
    parts = [base, case_part, day.isoformat()] if case_part else [base, day.isoformat()]
    return "-".join(parts) + "." + extension
