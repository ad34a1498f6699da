"""The inbox and one input's page; the actions on an input are in `views_actions`."""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import parse_qsl, quote, urlencode

from aiohttp import web
from multidict import MultiDict
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current, officer_page
from bot.officer.keys import ANSWER_TEMPLATES, FILTER_OPTIONS
from bot.officer.render import page, ui
from medverk.officers import handling
from medverk.officers.inbox import (
    ALL_STATUSES,
    ASSIGNED_NONE,
    ASSIGNED_TO_ME,
    NO_AGE_GROUP,
    PAGE_SIZES,
    FilterOptions,
    InboxFilter,
    filter_options,
    search,
)
from medverk.store import officer_repo, workflow_repo
from medverk.store.models import Input
from medverk.store.models.inputs import INPUT_STATUSES
from medverk.store.search import query_terms

__all__ = ["back_filter", "detail", "detail_context", "inbox", "index", "next_unread_url"]

PER_PAGE = 50
OPTIONS_TTL_SECONDS = 60.0
DONE_KEYS = {
    "read": "done_read",
    "unread": "done_unread",
    "hidden": "done_hidden",
    "unhidden": "done_unhidden",
    "note": "done_note",
    "assigned": "done_assigned",
    "tagged": "done_tagged",
    "untagged": "done_untagged",
    "malform": "done_malform",
    "saved": "saved",
    "answer_sent": "answer_sent",
    "no_more_unread": "no_more_unread",
}


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


def back_filter(request: web.Request, raw: str) -> InboxFilter:
    """The inbox filter an input's page was opened from (`back=` holds its query)."""
    return InboxFilter.from_query(
        MultiDict(parse_qsl(raw)), per_page=PER_PAGE, viewer_id=current(request).officer.id
    )


@officer_page
async def inbox(request: web.Request) -> web.Response:
    """GET /officer/inputs: filtered, searched, paged input, newest first."""
    officer = current(request).officer
    inbox_filter = InboxFilter.from_query(request.query, per_page=PER_PAGE, viewer_id=officer.id)
    async with request.config_dict[SESSIONMAKER].begin() as db:
        result = await search(db, inbox_filter)
        options = await _filter_options(request, db)
        tags = await workflow_repo.tags_of(db, (item.id for item in result.items))
        officers = await workflow_repo.officer_names(db)
        all_tags = await workflow_repo.case_tags(db, inbox_filter.case_ref or None)
        await officer_repo.add_audit_event(
            db,
            officer=officer,
            action="view_inbox",
            target="inbox",
            detail=urlencode(inbox_filter.to_query(page=result.page))
            + " ids="
            + ",".join(str(item.id) for item in result.items),
        )
    here = urlencode(inbox_filter.to_query(page=result.page))
    export_query = urlencode(inbox_filter.to_query(page=1))
    notice, error = _bulk_notice(request, {oid: name for oid, name, _a in officers})
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
            "assigned_me": ASSIGNED_TO_ME,
            "assigned_none": ASSIGNED_NONE,
            "page_sizes": PAGE_SIZES,
            "terms": query_terms(inbox_filter.q) if inbox_filter.q else [],
            "tags": tags,
            "all_tags": all_tags,
            "officers": officers,
            "officer_names": {oid: name for oid, name, _active in officers},
            "here": here,
            "detail_suffix": ("?back=" + quote(here, safe="")) if here else "",
            "notice": notice,
            "error": error,
            "mine_url": _link(InboxFilter(), assigned=ASSIGNED_TO_ME),
            "waiting_url": _link(InboxFilter(), reply="waiting"),
            "previous_url": _link(inbox_filter, page=result.page - 1) if result.page > 1 else "",
            "next_url": _link(inbox_filter, page=result.page + 1)
            if result.page < result.pages
            else "",
            "status_urls": {s: _link(inbox_filter, status=s, page=1) for s in INPUT_STATUSES},
            "csv_url": PREFIX + "/inputs.csv" + ("?" + export_query if export_query else ""),
            "xlsx_url": PREFIX + "/inputs.xlsx" + ("?" + export_query if export_query else ""),
            "report_url": PREFIX + "/report?" + urlencode({"case": inbox_filter.case_ref})
            if inbox_filter.case_ref
            else "",
        },
    )


BULK_ERRORS = ("reason_required", "tag_required", "officer_required")


def _bulk_notice(request: web.Request, names: dict[int, str]) -> tuple[str, str]:
    """(notice, error) after a bulk action, from the redirect's query."""
    query = request.query
    done = query.get("done", "")
    count = query.get("count", "0")
    count = count if count.isdigit() else "0"
    if done == "none_selected":
        return "", ui(request, "bulk_none_selected")
    if done == "bulk_error":
        key = query.get("error", "")
        return "", ui(request, key if key in BULK_ERRORS else "bad_request")
    if done in ("bulk_read", "bulk_unread", "bulk_hide", "bulk_unassign"):
        return ui(request, "bulk_done_" + done.removeprefix("bulk_"), count=count), ""
    if done == "bulk_tag":
        return ui(request, "bulk_done_tag", count=count, tag=query.get("tagged", "")[:60]), ""
    if done == "bulk_assign":
        who = query.get("who", "")
        name = names.get(int(who), "") if who.isdigit() else ""
        return ui(request, "bulk_done_assign", count=count, name=name), ""
    return "", ""


async def load_input(request: web.Request, db: AsyncSession) -> Input:
    """The input named in the URL, or 404."""
    try:
        input_id = int(request.match_info["input_id"])
    except ValueError as exc:
        raise web.HTTPNotFound() from exc
    item = await handling.get_input(db, input_id)
    if item is None:
        raise web.HTTPNotFound()
    return item


async def next_unread_url(
    request: web.Request, db: AsyncSession, item: Input | None, back: str
) -> str:
    """The page of the next new input in the inbox filter `back`, or "" when none is left."""
    unread = replace(back_filter(request, back), status="new")
    found = await workflow_repo.next_matching(db, unread.conditions(), item)
    if found is None:
        return ""
    return f"{PREFIX}/inputs/{found}" + ("?back=" + quote(back, safe="") if back else "")


async def detail_context(
    request: web.Request, db: AsyncSession, item: Input, back: str
) -> dict[str, object]:
    """Everything an input's page shows besides notices (shared with the action views)."""
    templates = request.config_dict[ANSWER_TEMPLATES]
    officers = await workflow_repo.officer_names(db)
    return {
        "item": item,
        "back": back,
        "back_url": PREFIX + "/inputs" + ("?" + back if back else ""),
        "next_unread_url": await next_unread_url(request, db, item, back),
        "notes": await workflow_repo.notes_of(db, item.id),
        "item_tags": (await workflow_repo.tags_of(db, [item.id])).get(item.id, []),
        "case_tags": await workflow_repo.case_tags(db, item.case_ref),
        "officers": officers,
        "assignee_name": {oid: name for oid, name, _a in officers}.get(item.assigned_to or -1, ""),
        "templates": [
            (
                template.title(item.malform),
                template.text(item.malform, case_title=item.case_title, case_ref=item.case_ref),
            )
            for template in templates
        ],
        "preview": "",
        "notice": "",
        "error": "",
    }


@officer_page
async def detail(request: web.Request) -> web.Response:
    """GET /officer/inputs/{id}: one input with its actions (the view is audited)."""
    back = urlencode(parse_qsl(request.query.get("back", "")[:2000]))
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        await handling.view(db, current(request).officer, item)
        context = await detail_context(request, db, item, back)
    done = request.query.get("done", "")
    if done in DONE_KEYS:
        context["notice"] = ui(request, DONE_KEYS[done])
    return page(request, "input.html", context)
