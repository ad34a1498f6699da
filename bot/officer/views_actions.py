"""What an officer does on one input's page: read/unread, hide, notes, tags,
assignment, målform, and the answer (shown for confirmation before it is sent).

Every form carries `back` (the inbox filter the page came from), so the page
after the action, "back to the inbox" and "next unread" keep that filter.
A form with `then=next` goes on to the next unread input instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, quote, urlencode

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current, officer_page
from bot.officer.render import page, texts_of, ui
from bot.officer.views_inbox import detail_context, load_input, next_unread_url
from medverk.officers import handling, workflow
from medverk.store.models import Input, Officer
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

# What an action does to the loaded input, as the signed-in officer.
Act = Callable[[AsyncSession, Officer, Input], Awaitable[object]]


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


async def _on_input(request: web.Request, done: str, act: Act, *, error: str = "") -> web.Response:
    """The one way an action on an input runs: load it (404 if unknown), show `error` on
    its page when the form was wrong, else `act(db, officer, input)` and redirect."""
    form = await request.post()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        if error:
            return await _error_page(request, db, item, form, error)
        await act(db, current(request).officer, item)
        response = await _redirect(request, db, item, done, form)
    raise response


def _text_error(request: web.Request, text: str, empty_key: str, limit: int) -> str:
    """The error for a required text that is empty or too long ("" when it is fine)."""
    if not text:
        return ui(request, empty_key)
    return ui(request, "too_long", max=limit) if len(text) > limit else ""


@officer_page
async def mark_read(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/read."""
    return await _on_input(request, "read", handling.mark_read)


@officer_page
async def mark_unread(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/unread."""
    return await _on_input(request, "unread", workflow.mark_unread)


@officer_page
async def hide(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/hide with a reason."""
    reason = _field(await request.post(), "reason").strip()
    return await _on_input(
        request,
        "hidden",
        lambda db, officer, item: handling.hide(db, officer, item, reason),
        error=_text_error(request, reason, "reason_required", handling.MAX_REASON_LENGTH),
    )


@officer_page
async def unhide(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/unhide."""
    return await _on_input(request, "unhidden", handling.unhide)


@officer_page
async def note(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/note: add an internal note (author and time kept)."""
    text = _field(await request.post(), "note", 20000).strip()
    return await _on_input(
        request,
        "note",
        lambda db, officer, item: workflow.add_note(db, officer, item, text),
        error=_text_error(request, text, "note_required", handling.MAX_NOTE_LENGTH),
    )


@officer_page
async def tag(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/tags: put a tag on the input (new tags are made here)."""
    name = workflow.clean_tag(_field(await request.post(), "tag", 200))
    return await _on_input(
        request,
        "tagged",
        lambda db, officer, item: workflow.add_tag(db, officer, item, name),
        error="" if name else ui(request, "tag_required"),
    )


@officer_page
async def untag(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/untag: take a tag off."""
    name = workflow.clean_tag(_field(await request.post(), "tag", 200))
    return await _on_input(
        request, "untagged", lambda db, officer, item: workflow.remove_tag(db, officer, item, name)
    )


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
    malform = _field(await request.post(), "malform", 2)
    return await _on_input(
        request,
        "malform",
        lambda db, officer, item: workflow.set_malform(db, officer, item, malform),
        error="" if malform in workflow.MALFORMS else ui(request, "bad_request"),
    )


@officer_page
async def answer(request: web.Request) -> web.Response:
    """POST /officer/inputs/{id}/answer: first shows the answer for confirmation;
    with `confirmed=1` stores it and queues it to the citizen."""
    form = await request.post()
    text = _field(form, "answer").strip()
    async with request.config_dict[SESSIONMAKER].begin() as db:
        item = await load_input(request, db)
        error = _text_error(request, text, "answer_empty", handling.MAX_ANSWER_LENGTH)
        if error:
            return await _error_page(request, db, item, form, error)
        if _field(form, "confirmed") != "1":
            context = await detail_context(request, db, item, _field(form, "back", 2000))
            context["preview"] = text
            return page(request, "input.html", context)
        await handling.answer(db, current(request).officer, item, text, texts_of(request))
        response = await _redirect(request, db, item, "answer_sent", form)
    raise response
