"""What an officer does on one input's page: read/unread, hide, notes, tags,
assignment, målform, and the answer (shown for confirmation before it is sent).

Every form carries `back` (the inbox filter the page came from), so the page
after the action, "back to the inbox" and "next unread" keep that filter.
A form with `then=next` goes on to the next unread input instead.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current, officer_page
from bot.officer.render import page, texts_of, ui
from bot.officer.views_inbox import detail_context, load_input, next_unread_url
from medverk.officers import handling, workflow
from medverk.store.models import Input
from medverk.store.officer_repo import get_officer

__all__ = [
    "answer",
    "assign",
    "hide",
    "mark_read",
    "mark_unread",
    "note",
    "set_malform",
    "tag",
    "unhide",
    "untag",
]


def _field(form: object, name: str, limit: int = 6000) -> str:
    value = form.get(name, "")  # type: ignore[attr-defined]
    text = value[:limit] if isinstance(value, str) else ""
    # The inbox filter is re-encoded, so only query pairs reach links and redirects.
    return urlencode(parse_qsl(text)) if name == "back" else text


async def _redirect(
    request: web.Request, db: AsyncSession, item: Input, done: str, form: object
) -> web.HTTPSeeOther:
    back = _field(form, "back", 2000)
    if _field(form, "then") == "next":
        target = await next_unread_url(request, db, item, back)
        if target:
            sep = "&" if "?" in target else "?"
            return web.HTTPSeeOther(f"{target}{sep}done={done}")
        done = "no_more_unread"
    query = f"done={done}" + ("&back=" + quote(back, safe="") if back else "")
    return web.HTTPSeeOther(f"{PREFIX}/inputs/{item.id}?{query}")


async def _error_page(
    request: web.Request, db: AsyncSession, item: Input, form: object, error: str
) -> web.Response:
    context = await detail_context(request, db, item, _field(form, "back", 2000))
    context["error"] = error
    return page(request, "input.html", context, status=400)


@officer_page
async def mark_read(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/read."""
    form = await request.post()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        await handling.mark_read(db, current(request).officer, item)
        response = await _redirect(request, db, item, "read", form)
    raise response


@officer_page
async def mark_unread(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/unread."""
    form = await request.post()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        await workflow.mark_unread(db, current(request).officer, item)
        response = await _redirect(request, db, item, "unread", form)
    raise response


@officer_page
async def hide(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/hide with a reason."""
    form = await request.post()
    reason = _field(form, "reason").strip()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        if not reason:
            return await _error_page(request, db, item, form, ui(request, "reason_required"))
        if len(reason) > handling.MAX_REASON_LENGTH:
            error = ui(request, "too_long", max=handling.MAX_REASON_LENGTH)
            return await _error_page(request, db, item, form, error)
        await handling.hide(db, current(request).officer, item, reason)
        response = await _redirect(request, db, item, "hidden", form)
    raise response


@officer_page
async def unhide(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/unhide."""
    form = await request.post()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        await handling.unhide(db, current(request).officer, item)
        response = await _redirect(request, db, item, "unhidden", form)
    raise response


@officer_page
async def note(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/note: add an internal note (author and time kept)."""
    form = await request.post()
    text = _field(form, "note", 20000).strip()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        if not text:
            return await _error_page(request, db, item, form, ui(request, "note_required"))
        if len(text) > handling.MAX_NOTE_LENGTH:
            error = ui(request, "too_long", max=handling.MAX_NOTE_LENGTH)
            return await _error_page(request, db, item, form, error)
        await workflow.add_note(db, current(request).officer, item, text)
        response = await _redirect(request, db, item, "note", form)
    raise response


@officer_page
async def tag(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/tags: put a tag on the input (new tags are made here)."""
    form = await request.post()
    name = workflow.clean_tag(_field(form, "tag", 200))
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        if not name:
            return await _error_page(request, db, item, form, ui(request, "tag_required"))
        await workflow.add_tag(db, current(request).officer, item, name)
        response = await _redirect(request, db, item, "tagged", form)
    raise response


@officer_page
async def untag(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/untag: take a tag off."""
    form = await request.post()
    name = workflow.clean_tag(_field(form, "tag", 200))
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        await workflow.remove_tag(db, current(request).officer, item, name)
        response = await _redirect(request, db, item, "untagged", form)
    raise response


@officer_page
async def assign(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/assign: give it to a colleague ("" = nobody)."""
    form = await request.post()
    raw = _field(form, "officer_id", 20)
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        assignee = await _assignee(db, raw)
        if raw and assignee is None:
            return await _error_page(request, db, item, form, ui(request, "officer_required"))
        await workflow.assign(db, current(request).officer, item, assignee)
        response = await _redirect(request, db, item, "assigned", form)
    raise response


async def _assignee(db: AsyncSession, raw: str) -> int | None:
    """The id of an active officer named by `raw`, or None."""
    if not raw.isdigit():
        return None
    officer = await get_officer(db, int(raw))
    return officer.id if officer is not None and officer.active else None


@officer_page
async def set_malform(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/malform: correct a wrongly detected målform."""
    form = await request.post()
    malform = _field(form, "malform", 2)
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        if malform not in workflow.MALFORMS:
            return await _error_page(request, db, item, form, ui(request, "bad_request"))
        await workflow.set_malform(db, current(request).officer, item, malform)
        response = await _redirect(request, db, item, "malform", form)
    raise response


@officer_page
async def answer(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/answer: first shows the answer for confirmation;
    with `confirmed=1` stores it and queues it to the citizen."""
    form = await request.post()
    text = _field(form, "answer").strip()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        if not text:
            return await _error_page(request, db, item, form, ui(request, "answer_empty"))
        if len(text) > handling.MAX_ANSWER_LENGTH:
            error = ui(request, "too_long", max=handling.MAX_ANSWER_LENGTH)
            return await _error_page(request, db, item, form, error)
        if _field(form, "confirmed") != "1":
            context = await detail_context(request, db, item, _field(form, "back", 2000))
            context["preview"] = text
            return page(request, "input.html", context)
        await handling.answer(db, current(request).officer, item, text, texts_of(request))
        response = await _redirect(request, db, item, "answer_sent", form)
    raise response
