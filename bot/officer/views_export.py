"""Machine-readable input: CSV export and the JSON API, with the inbox's filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keys import SESSIONMAKER
from bot.officer.auth import api, current, officer_page
from bot.officer.render import malform_of, texts_of, ui
from medverk.clock import today
from medverk.officers.export import (
    csv_chunks,
    export_file_name,
    filter_rows,
    headers,
    rows_of,
    xlsx_bytes,
)
from medverk.officers.inbox import InboxFilter, search
from medverk.store import officer_repo
from medverk.store.models import Input

__all__ = ["export_response", "inputs_csv", "inputs_json", "inputs_xlsx"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _disposition(request: web.Request, case_ref: str, extension: str) -> str:
    name = export_file_name(ui(request, "export_file"), case_ref, today(), extension)
    return f'attachment; filename="{name}"'


async def _audit(request: web.Request, action: str, detail: str) -> None:
    # Audited before any row leaves, in its own transaction, so an aborted
    # download is still on record.
    async with request.config_dict[SESSIONMAKER].begin() as db:
        await officer_repo.add_audit_event(
            db, officer=current(request).officer, action=action, target="inputs", detail=detail
        )


@officer_page
async def inputs_csv(request: web.Request) -> web.StreamResponse:
    """GET /officer/inputs.csv: every input matching the filters (no paging), `;`-separated."""
    inbox_filter = InboxFilter.from_query(request.query, viewer_id=current(request).officer.id)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": _disposition(request, inbox_filter.case_ref, "csv"),
            "Cache-Control": "no-store",
        }
    )
    await _audit(request, "export_csv", urlencode(inbox_filter.to_query(page=1)))
    await response.prepare(request)
    texts, malform = texts_of(request), malform_of(request)
    header = headers(texts, malform)
    first = True
    async with request.config_dict[SESSIONMAKER]() as db:
        async for batch in filter_rows(db, inbox_filter, texts, malform):
            await response.write(csv_chunks(header, batch, first=first).encode("utf-8"))
            first = False
    if first:
        await response.write(csv_chunks(header, [], first=True).encode("utf-8"))
    await response.write_eof()
    return response


@officer_page
async def inputs_xlsx(request: web.Request) -> web.Response:
    """GET /officer/inputs.xlsx: every input matching the filters as an Excel workbook."""
    inbox_filter = InboxFilter.from_query(request.query, viewer_id=current(request).officer.id)
    await _audit(request, "export_xlsx", urlencode(inbox_filter.to_query(page=1)))
    texts, malform = texts_of(request), malform_of(request)
    rows: list[list[object]] = []
    async with request.config_dict[SESSIONMAKER]() as db:
        async for batch in filter_rows(db, inbox_filter, texts, malform):
            rows.extend(batch)
    body = xlsx_bytes(headers(texts, malform), rows, ui(request, "export_sheet"))
    return _file(request, body, XLSX_TYPE, inbox_filter.case_ref, "xlsx")


def _file(
    request: web.Request, body: bytes, content_type: str, case_ref: str, extension: str
) -> web.Response:
    return web.Response(
        body=body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": _disposition(request, case_ref, extension),
            "Cache-Control": "no-store",
        },
    )


async def export_response(
    request: web.Request, db: AsyncSession, items: Sequence[Input], extension: str
) -> web.Response:
    """The selected inputs (a bulk selection) as .xlsx or .csv."""
    texts, malform = texts_of(request), malform_of(request)
    rows = await rows_of(db, items, texts, malform)
    header = headers(texts, malform)
    cases = {item.case_ref for item in items}
    case_ref = cases.pop() if len(cases) == 1 else ""
    if extension == "xlsx":
        body = xlsx_bytes(header, rows, ui(request, "export_sheet"))
        return _file(request, body, XLSX_TYPE, case_ref, "xlsx")
    body = csv_chunks(header, rows, first=True).encode("utf-8")
    return _file(request, body, "text/csv; charset=utf-8", case_ref, "csv")


def _json_item(item: Input) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

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
    inbox_filter = InboxFilter.from_query(request.query, viewer_id=current(request).officer.id)
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
