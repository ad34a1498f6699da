"""Bulk actions on the inputs ticked in the inbox: read, unread, assign, tag, hide, export.

The form posts the ticked ids (`id`, repeated), the action (the button pressed)
and `here`, the inbox query it came from; after the action the officer is back
on the same filtered page with a notice saying what happened.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current, officer_page
from bot.officer.views_export import export_response
from medverk.officers import handling, workflow
from medverk.store import officer_repo, workflow_repo

__all__ = ["bulk"]

EXPORTS = {"export_xlsx": "xlsx", "export_csv": "csv"}


def _back(here: str, **notice: object) -> web.HTTPSeeOther:
    query = here + ("&" if here else "") + urlencode({k: str(v) for k, v in notice.items()})
    return web.HTTPSeeOther(f"{PREFIX}/inputs?{query}")


@officer_page
async def bulk(request: web.Request) -> web.StreamResponse:
    """POST /officer/inputs/bulk."""
    form = await request.post()
    # Re-encoded, so only query pairs (never raw characters) reach the redirect.
    here = urlencode(parse_qsl(str(form.get("here", ""))[:2000]))
    action = str(form.get("action", ""))
    ids = [int(v) for v in form.getall("id", []) if isinstance(v, str) and v.isdigit()]
    if action not in (*workflow.BULK_ACTIONS, *EXPORTS):
        raise web.HTTPBadRequest()
    if not ids:
        raise _back(here, done="none_selected")
    officer = current(request).officer
    reason = str(form.get("reason", "")).strip()[: handling.MAX_REASON_LENGTH]
    tag = workflow.clean_tag(str(form.get("tag", ""))[:200])
    raw_assignee = str(form.get("officer_id", ""))
    async with request.config_dict[SESSIONMAKER].begin() as db:
        items = await workflow_repo.inputs_by_ids(db, ids)
        if action in EXPORTS:
            await officer_repo.add_audit_event(
                db,
                officer=officer,
                action=f"export_{EXPORTS[action]}",
                target="inputs",
                detail="ids=" + ",".join(str(i.id) for i in items),
            )
            return await export_response(request, db, items, EXPORTS[action])
        if action == "hide" and not reason:
            raise _back(here, done="bulk_error", error="reason_required")
        if action == "tag" and not tag:
            raise _back(here, done="bulk_error", error="tag_required")
        assignee = None
        if action == "assign" and raw_assignee:
            chosen = (
                await officer_repo.get_officer(db, int(raw_assignee or 0))
                if raw_assignee.isdigit()
                else None
            )
            if chosen is None or not chosen.active:
                raise _back(here, done="bulk_error", error="officer_required")
            assignee = chosen.id
        count = await workflow.bulk(
            db, officer, items, action, reason=reason, tag=tag, assignee=assignee
        )
    if action == "assign" and assignee is None:
        raise _back(here, done="bulk_unassign", count=count)
    extra = {"tagged": tag} if action == "tag" else {"who": assignee} if action == "assign" else {}
    raise _back(here, done=f"bulk_{action}", count=count, **extra)
