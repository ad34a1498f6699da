"""Machine-readable input: CSV export and the JSON API, with the inbox's filters."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import api, current, officer_page
from bot.officer.render import local_time
from medverk.clock import today
from medverk.officers.inbox import InboxFilter, iter_rows, search
from medverk.store import officer_repo
from medverk.store.models import Input

__all__ = ["CSV_COLUMNS", "csv_cell", "inputs_csv", "inputs_json"]

CSV_COLUMNS = (
    "id",
    "created_at",
    "case_ref",
    "case_title",
    "committee",
    "status",
    "malform",
    "channel",
    "age_group",
    "wants_reply",
    "text",
    "answer",
    "answered_at",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


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
    Input.text,
    Input.answer,
    Input.answered_at,
)


def _row(item: Any) -> list[str]:
    return [
        csv_cell(item.id),
        local_time(item.created_at),
        csv_cell(item.case_ref),
        csv_cell(item.case_title),
        csv_cell(item.committee),
        item.status,
        item.malform,
        item.channel,
        csv_cell(item.age_group or ""),
        "ja" if item.wants_reply else "nei",
        csv_cell(item.text),
        csv_cell(item.answer or ""),
        local_time(item.answered_at),
    ]


@officer_page
async def inputs_csv(request: web.Request) -> web.StreamResponse:
    """GET /officer/inputs.csv: every input matching the filters (no paging)."""
    inbox_filter = InboxFilter.from_query(request.query)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="innspel-{today().isoformat()}.csv"',
            "Cache-Control": "no-store",
        }
    )
    # Audited before any row leaves, in its own transaction, so an aborted
    # download is still on record.
    async with request.config_dict[SESSIONMAKER].begin() as db:
        await officer_repo.add_audit_event(
            db,
            officer=current(request).officer,
            action="export_csv",
            target="inputs",
            detail=urlencode(inbox_filter.to_query(page=1)),
        )
    await response.prepare(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # A byte-order mark makes spreadsheet programs read æ, ø and å as UTF-8.
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    async with request.config_dict[SESSIONMAKER]() as db:
        async for item in iter_rows(db, inbox_filter, _EXPORTED):
            writer.writerow(_row(item))
            if buffer.tell() > 64 * 1024:
                await response.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
    await response.write(buffer.getvalue().encode("utf-8"))
    await response.write_eof()
    return response


def _json_item(item: Input) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return officer_repo.as_utc(value).isoformat() if value is not None else None

    return {
        "id": item.id,
        "created_at": iso(item.created_at),
        "case_ref": item.case_ref,
        "case_title": item.case_title,
        "committee": item.committee,
        "status": item.status,
        "malform": item.malform,
        "channel": item.channel,
        "age_group": item.age_group,
        "wants_reply": item.wants_reply,
        "text": item.text,
        "answer": item.answer,
        "answered_at": iso(item.answered_at),
        "hidden_reason": item.hidden_reason,
    }


@api
async def inputs_json(request: web.Request) -> web.Response:
    """GET /officer/api/inputs: one page of input as JSON, with counts per status."""
    inbox_filter = InboxFilter.from_query(request.query)
    async with request.config_dict[SESSIONMAKER].begin() as db:
        result = await search(db, inbox_filter)
        await officer_repo.add_audit_event(
            db,
            officer=current(request).officer,
            action="api_inputs",
            target="inputs",
            detail=urlencode(inbox_filter.to_query(page=result.page))
            + " ids="
            + ",".join(str(item.id) for item in result.items),
        )
    return web.json_response(
        {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "per_page": result.per_page,
            "counts": result.counts,
            "items": [_json_item(item) for item in result.items],
        },
        headers={"Cache-Control": "no-store"},
    )
