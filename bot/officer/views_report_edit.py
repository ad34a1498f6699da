"""What an officer changes on a case's report: junk words out of (and back into) the
word list, and the officer's own summary. Every change is audited; CSRF is checked
by `officer_page` like on every POST."""

from __future__ import annotations

import re
from urllib.parse import quote

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import PREFIX, current, officer_page
from bot.officer.render import ui
from bot.officer.views_report import render_report
from medverk.store import officer_repo, report_repo
from medverk.store.models.report import MAX_SUMMARY_LENGTH, MAX_WORD_LENGTH

__all__ = ["junk_word", "summary"]

# A word as the word list shows it: letters only (a lemma, lower case).
_WORD = re.compile(rf"[^\W\d_]{{2,{MAX_WORD_LENGTH}}}")


def _case_ref(form: object) -> str:
    value = form.get("case", "")  # type: ignore[attr-defined]
    case_ref = value.strip() if isinstance(value, str) else ""
    if not case_ref or len(case_ref) > 20:
        raise web.HTTPBadRequest()
    return case_ref


def _back(case_ref: str, done: str, word: str = "") -> web.HTTPSeeOther:
    query = f"case={quote(case_ref, safe='')}&done={done}"
    if word:
        query += f"&word={quote(word, safe='')}"
    anchor = "#h-summary" if done.startswith("summary") else "#h-words"
    return web.HTTPSeeOther(f"{PREFIX}/report?{query}{anchor}")


@officer_page
async def junk_word(request: web.Request) -> web.Response:
    """POST /officer/report/words: `word`, `case` and `action` remove|restore."""
    form = await request.post()
    case_ref = _case_ref(form)
    raw = form.get("word", "")
    word = raw.strip().lower() if isinstance(raw, str) else ""
    action = form.get("action", "")
    if not _WORD.fullmatch(word) or action not in ("remove", "restore"):
        raise web.HTTPBadRequest()
    officer = current(request).officer
    async with request.config_dict[SESSIONMAKER].begin() as db:
        if not await report_repo.case_exists(db, case_ref):
            raise web.HTTPNotFound()
        if action == "remove":
            changed = await report_repo.add_junk_word(db, case_ref, word, officer.username)
        else:
            changed = await report_repo.remove_junk_word(db, case_ref, word)
        if changed:
            await officer_repo.add_audit_event(
                db,
                officer=officer,
                action="report_word_removed" if action == "remove" else "report_word_restored",
                target=f"case:{case_ref}",
                detail=word,
            )
    raise _back(case_ref, "word_removed" if action == "remove" else "word_restored", word)


@officer_page
async def summary(request: web.Request) -> web.Response:
    """POST /officer/report/summary: the officer's own summary (empty removes it)."""
    form = await request.post()
    case_ref = _case_ref(form)
    raw = form.get("summary", "")
    text = raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""
    officer = current(request).officer
    async with request.config_dict[SESSIONMAKER].begin() as db:
        if not await report_repo.case_exists(db, case_ref):
            raise web.HTTPNotFound()
        if len(text) > MAX_SUMMARY_LENGTH:
            error = ui(request, "too_long", max=MAX_SUMMARY_LENGTH)
            return await render_report(
                request, db, case_ref, summary_draft=text, summary_error=error, status=400
            )
        await report_repo.save_summary(db, case_ref, text, officer.username)
        await officer_repo.add_audit_event(
            db,
            officer=officer,
            action="report_summary",
            target=f"case:{case_ref}",
            detail=f"chars={len(text)}",
        )
    raise _back(case_ref, "summary_saved" if text else "summary_removed")
