"""The officer app under `/officer/`: case officers review, answer and export input.

`setup(app)` mounts it as a sub-application with its own templates, static
files and error pages; it shares the gateway's settings and database through
`request.config_dict`. It also runs the decision notifier in the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot import security
from bot.background import background_task
from bot.keys import SESSIONMAKER, SETTINGS
from bot.officer import (
    views_actions,
    views_admin,
    views_auth,
    views_bulk,
    views_dashboard,
    views_digest,
    views_export,
    views_inbox,
    views_password,
    views_report,
    views_report_edit,
    views_set_password,
    views_settings,
    views_totp,
    views_totp_login,
)
from bot.officer.auth import CSRF_REASON, PREFIX, Handler
from bot.officer.highlight import highlight
from bot.officer.keys import (
    ANSWER_TEMPLATES,
    FILTER_OPTIONS,
    LEMMATISER,
    LOGIN_IN_FLIGHT,
    LOGIN_LIMITER,
    TEXTS,
)
from bot.officer.login_guard import InFlight
from bot.officer.ratelimit import SlidingWindowLimiter
from bot.officer.render import local_time, page
from medverk.officers.answer_templates import load_answer_templates
from medverk.officers.notify import notify_decisions
from medverk.officers.texts import load_texts
from medverk.store.officer_repo import delete_expired_sessions

__all__ = ["setup"]

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
# Failed logins allowed per client address per window (the account locks sooner).
LOGIN_ATTEMPTS_PER_ADDRESS = 20
LOGIN_WINDOW_SECONDS = 15 * 60


def _lemmas(text: str) -> list[str]:
    # Imported on first report: loading spaCy costs seconds the gateway need not pay.
    from nlu.norwegian import lemmas

    return lemmas(text)


@web.middleware
async def _error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Show 400/403/404 as a Norwegian page (or JSON under /api/)."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status not in (400, 403, 404) or exc.content_type == "application/json":
            raise
        if request.path.startswith(PREFIX + "/api/"):
            raise _json_error(exc) from None
        key = {403: "forbidden", 404: "not_found"}.get(exc.status, "bad_request")
        if exc.status == 403 and exc.reason == CSRF_REASON:
            key = "csrf_failed"
        return page(request, "error.html", {"message_key": key}, status=exc.status, logged_in=False)


def _json_error(exc: web.HTTPException) -> web.HTTPException:
    error = {403: "forbidden", 404: "not found"}.get(exc.status, "bad request")
    return type(exc)(text=f'{{"error": "{error}"}}', content_type="application/json")


def _notifier(gateway: web.Application) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context that, every case-sync interval, sends decision notices
    and removes expired login sessions."""

    async def context(officer: web.Application) -> AsyncIterator[None]:
        interval = max(30, gateway[SETTINGS].case_sync_interval_seconds)

        async def loop() -> None:
            while True:
                await asyncio.sleep(interval)
                try:
                    async with gateway[SESSIONMAKER].begin() as db:
                        await delete_expired_sessions(db)
                    async with gateway[SESSIONMAKER].begin() as db:
                        result = await notify_decisions(db, officer[TEXTS])
                    if result.messages:
                        log.info(
                            "queued %d decision messages for %d cases",
                            result.messages,
                            result.cases,
                        )
                except Exception:
                    log.exception("decision notifier failed; retrying next round")

        async with background_task(loop(), "officer-notifier"):
            yield

    return context


def _routes(officer: web.Application) -> None:
    add = officer.router
    add.add_get("/", views_inbox.index, name="index")
    add.add_get("/login", views_auth.login_form, name="login")
    add.add_post("/login", views_auth.login_submit)
    add.add_get("/login/totp", views_totp_login.totp_form, name="login_totp")
    add.add_post("/login/totp", views_totp_login.totp_submit)
    add.add_get("/totp", views_totp.totp_page, name="totp")
    add.add_post("/totp/confirm", views_totp.totp_confirm)
    add.add_post("/totp/disable", views_totp.totp_disable)
    add.add_post("/logout", views_auth.logout, name="logout")
    add.add_get("/inputs", views_inbox.inbox, name="inbox")
    add.add_get("/inputs.csv", views_export.inputs_csv, name="inputs_csv")
    add.add_get("/api/inputs", views_export.inputs_json, name="api_inputs")
    add.add_get("/inputs.xlsx", views_export.inputs_xlsx, name="inputs_xlsx")
    add.add_post("/inputs/bulk", views_bulk.bulk)
    add.add_get("/inputs/{input_id:\\d{1,18}}", views_inbox.detail, name="input")
    one = "/inputs/{input_id:\\d{1,18}}/"
    add.add_post(one + "read", views_actions.mark_read)
    add.add_post(one + "unread", views_actions.mark_unread)
    add.add_post(one + "hide", views_actions.hide)
    add.add_post(one + "unhide", views_actions.unhide)
    add.add_post(one + "note", views_actions.note)
    add.add_post(one + "answer", views_actions.answer)
    add.add_post(one + "tags", views_actions.tag)
    add.add_post(one + "untag", views_actions.untag)
    add.add_post(one + "assign", views_actions.assign)
    add.add_post(one + "malform", views_actions.set_malform)
    add.add_get("/report", views_report.report, name="report")
    add.add_get("/report/print.css", views_report.print_css)
    add.add_post("/report/words", views_report_edit.junk_word)
    add.add_post("/report/summary", views_report_edit.summary)
    add.add_get("/dashboard", views_dashboard.dashboard, name="dashboard")
    add.add_get("/digest", views_digest.digest_page, name="digest")
    add.add_post("/digest", views_digest.digest_save)
    add.add_get("/admin/officers", views_admin.officers, name="officers")
    add.add_post("/admin/officers", views_admin.officer_create)
    add.add_post("/admin/officers/{officer_id:\\d{1,18}}/disable", views_admin.officer_disable)
    add.add_post("/admin/officers/{officer_id:\\d{1,18}}/reset-password", views_admin.officer_reset)
    add.add_get("/admin/audit", views_admin.audit_log, name="audit")
    add.add_get("/password", views_password.password_form, name="password")
    add.add_get("/set-password/{token}", views_set_password.set_password_form)
    add.add_post("/set-password/{token}", views_set_password.set_password_submit)
    add.add_post("/password", views_password.password_submit)
    add.add_get("/settings", views_settings.settings_page, name="settings")
    add.add_post("/settings", views_settings.settings_save)
    add.add_post("/settings/reset", views_settings.settings_reset)
    add.add_static("/static/", HERE / "static", name="static")


def setup(app: web.Application, *, notifier: bool = True) -> web.Application:
    """Mount the officer app on `app` under `/officer/`; returns the sub-application."""
    settings = app[SETTINGS]
    officer = web.Application(middlewares=[_error_pages])
    officer[TEXTS] = load_texts(settings.knowledge_dir)
    officer[LOGIN_LIMITER] = SlidingWindowLimiter(LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW_SECONDS)
    officer[LOGIN_IN_FLIGHT] = InFlight()
    officer[LEMMATISER] = _lemmas
    officer[FILTER_OPTIONS] = {}
    officer[ANSWER_TEMPLATES] = load_answer_templates(settings.knowledge_dir)
    env = aiohttp_jinja2.setup(
        officer,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["localtime"] = local_time
    env.filters["highlight"] = highlight
    security.setup(officer)
    _routes(officer)
    if notifier:
        officer.cleanup_ctx.append(_notifier(app))
    app.router.add_get(PREFIX, _to_officer_app)
    app.add_subapp(PREFIX, officer)
    return officer


async def _to_officer_app(request: web.Request) -> web.StreamResponse:
    raise web.HTTPMovedPermanently(PREFIX + "/")
