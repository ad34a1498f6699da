"""The inbox and one input: read, hide, note, answer."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current, officer_page
from bot.officer.keys import FILTER_OPTIONS
from bot.officer.render import page, texts_of, ui
from medverk.officers import handling
from medverk.officers.inbox import (
    ALL_STATUSES,
    NO_AGE_GROUP,
    FilterOptions,
    InboxFilter,
    filter_options,
    search,
)
from medverk.store import officer_repo
from medverk.store.models import Input
from medverk.store.models.inputs import INPUT_STATUSES

__all__ = ["answer", "detail", "hide", "inbox", "index", "mark_read", "note", "unhide"]

PER_PAGE = 50
OPTIONS_TTL_SECONDS = 60.0


@officer_page
async def index(request: web.Request) -> web.Response:
    """GET /officer/: go to the inbox."""
    raise web.HTTPSeeOther(PREFIX + "/inputs")


async def _filter_options(request: web.Request, db: AsyncSession) -> FilterOptions:
    """The filter menus' values, cached for a minute per process."""
    cache = request.config_dict[FILTER_OPTIONS]
    now = time.monotonic()
    cached = cache.get("options")
    if cached is not None and cached[0] > now:
        return cached[1]
    options = await filter_options(db)
    cache["options"] = (now + OPTIONS_TTL_SECONDS, options)
    return options


def _link(inbox_filter: InboxFilter, **changes: object) -> str:
    query = inbox_filter.to_query(**changes)
    return PREFIX + "/inputs" + ("?" + urlencode(query) if query else "")


@officer_page
async def inbox(request: web.Request) -> web.Response:
    """GET /officer/inputs: filtered, searched, paged input, newest first."""
    inbox_filter = InboxFilter.from_query(request.query, per_page=PER_PAGE)
    async with request.config_dict[SESSIONMAKER].begin() as db:
        result = await search(db, inbox_filter)
        options = await _filter_options(request, db)
        await officer_repo.add_audit_event(
            db,
            officer=current(request).officer,
            action="view_inbox",
            target="inbox",
            detail=urlencode(inbox_filter.to_query(page=result.page))
            + " ids="
            + ",".join(str(item.id) for item in result.items),
        )
    export_query = urlencode(inbox_filter.to_query(page=1))
    return page(
        request,
        "inbox.html",
        {
            "filter": inbox_filter,
            "result": result,
            "options": options,
            "statuses": INPUT_STATUSES,
            "all_statuses": ALL_STATUSES,
            "no_age_group": NO_AGE_GROUP,
            "previous_url": _link(inbox_filter, page=result.page - 1) if result.page > 1 else "",
            "next_url": _link(inbox_filter, page=result.page + 1)
            if result.page < result.pages
            else "",
            "status_urls": {s: _link(inbox_filter, status=s, page=1) for s in INPUT_STATUSES},
            "csv_url": PREFIX + "/inputs.csv" + ("?" + export_query if export_query else ""),
            "report_url": PREFIX + "/report?" + urlencode({"case": inbox_filter.case_ref})
            if inbox_filter.case_ref
            else "",
        },
    )


async def _load(request: web.Request, db: AsyncSession) -> Input:
    try:
        input_id = int(request.match_info["input_id"])
    except ValueError as exc:
        raise web.HTTPNotFound() from exc
    item = await handling.get_input(db, input_id)
    if item is None:
        raise web.HTTPNotFound()
    return item


@officer_page
async def detail(request: web.Request) -> web.Response:
    """GET /officer/inputs/{id}: one input with its actions (the view is audited)."""
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await _load(request, db)
        await handling.view(db, current(request).officer, item)
    return page(
        request,
        "input.html",
        {
            "item": item,
            "notice": ui(request, request.query["done"])
            if request.query.get("done") in ("saved", "answer_sent")
            else "",
            "error": "",
        },
    )


def _back(item_id: int, done: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"{PREFIX}/inputs/{item_id}?done={done}")


async def _error_page(request: web.Request, item: Input, error: str) -> web.Response:
    return page(request, "input.html", {"item": item, "notice": "", "error": error}, status=400)


@officer_page
async def mark_read(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/read."""
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await _load(request, db)
        await handling.mark_read(db, current(request).officer, item)
    raise _back(item.id, "saved")


@officer_page
async def hide(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/hide with a reason."""
    form = await request.post()
    reason = str(form.get("reason", "")).strip()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await _load(request, db)
        if not reason:
            return await _error_page(request, item, ui(request, "reason_required"))
        if len(reason) > handling.MAX_REASON_LENGTH:
            return await _error_page(
                request, item, ui(request, "too_long", max=handling.MAX_REASON_LENGTH)
            )
        await handling.hide(db, current(request).officer, item, reason)
    raise _back(item.id, "saved")


@officer_page
async def unhide(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/unhide."""
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await _load(request, db)
        await handling.unhide(db, current(request).officer, item)
    raise _back(item.id, "saved")


@officer_page
async def note(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/note: save the internal note."""
    form = await request.post()
    text = str(form.get("note", ""))
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await _load(request, db)
        if len(text.strip()) > handling.MAX_NOTE_LENGTH:
            return await _error_page(
                request, item, ui(request, "too_long", max=handling.MAX_NOTE_LENGTH)
            )
        await handling.save_note(db, current(request).officer, item, text)
    raise _back(item.id, "saved")


@officer_page
async def answer(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/answer: store the answer and queue it to the citizen."""
    form = await request.post()
    text = str(form.get("answer", "")).strip()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await _load(request, db)
        if not text:
            return await _error_page(request, item, ui(request, "answer_empty"))
        if len(text) > handling.MAX_ANSWER_LENGTH:
            return await _error_page(
                request, item, ui(request, "too_long", max=handling.MAX_ANSWER_LENGTH)
            )
        await handling.answer(db, current(request).officer, item, text, texts_of(request))
    raise _back(item.id, "answer_sent")
