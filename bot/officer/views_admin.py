"""Admin pages: manage officer accounts and read the audit log."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from bot.keys import SESSIONMAKER, SETTINGS
from bot.officer.auth import PREFIX, admin_page, current
from bot.officer.reauth import require_recent_login
from bot.officer.render import malform_of, page, texts_of, ui
from medverk.officers import accounts
from medverk.officers.audit_view import action_label, day_window, decoded_detail, parse_day
from medverk.officers.errors import OfficerError
from medverk.officers.set_password_links import make_token
from medverk.store import officer_repo
from medverk.store.models import Officer
from medverk.store.models.officers import ROLES

__all__ = ["audit_log", "officer_create", "officer_disable", "officer_reset", "officers"]

AUDIT_PER_PAGE = 100


async def _officers_page(
    request: web.Request, *, notice: str = "", error: str = "", status: int = 200
) -> web.Response:
    async with request.config_dict[SESSIONMAKER].begin() as db:
        rows = await accounts.list_officers(db)
    return page(
        request,
        "officers.html",
        {
            "officers": rows,
            "roles": ROLES,
            "notice": notice,
            "error": error,
            "min_password": accounts.MIN_PASSWORD_LENGTH,
        },
        status=status,
    )


@admin_page
async def officers(request: web.Request) -> web.Response:
    """GET /officer/admin/officers: the accounts."""
    return await _officers_page(request)


@admin_page
async def officer_create(request: web.Request) -> web.Response:
    """POST /officer/admin/officers: create an account; its owner sets the password through
    a one-time link (F6), so the admin never knows it."""
    await require_recent_login(request)
    form = await request.post()
    username = str(form.get("username", ""))[:100]
    display_name = str(form.get("display_name", ""))[:200]
    settings = request.config_dict[SETTINGS]
    try:
        async with request.config_dict[SESSIONMAKER].begin() as db:
            officer = await accounts.create_officer(
                db,
                username=username,
                password=accounts.generate_password(username, display_name),  # nobody sees it
                role=str(form.get("role", "officer")),
                display_name=display_name,
            )
            link = _link(settings.public_url, settings.secret_key, officer)
            await officer_repo.add_audit_event(
                db,
                officer=current(request).officer,
                action="officer_add",
                target=f"officer:{officer.username}",
                detail=f"role={officer.role}",
            )
    except (OfficerError, ValueError) as exc:
        return await _officers_page(
            request, error=ui(request, "officer_error", error=str(exc)), status=400
        )
    created = ui(request, "officer_created", username=officer.username)
    shown = ui(request, "set_password_link_shown", username=officer.username, link=link)
    return await _officers_page(request, notice=f"{created} {shown}")


def _link(public_url: str, secret_key: str, officer: Officer) -> str:
    return f"{public_url}{PREFIX}/set-password/{make_token(secret_key, officer)}"


async def _username(request: web.Request) -> str:
    async with request.config_dict[SESSIONMAKER].begin() as db:
        try:
            officer = await officer_repo.get_officer(db, int(request.match_info["officer_id"]))
        except ValueError:
            officer = None
    if officer is None:
        raise web.HTTPNotFound()
    return officer.username


@admin_page
async def officer_disable(request: web.Request) -> web.Response:
    """POST /officer/admin/officers/{id}/disable: deactivate and log out an account."""
    await require_recent_login(request)
    username = await _username(request)
    if username == current(request).officer.username:
        return await _officers_page(
            request,
            error=ui(request, "officer_error", error="you cannot disable yourself"),
            status=400,
        )
    async with request.config_dict[SESSIONMAKER].begin() as db:
        await accounts.disable_officer(db, username)
        await officer_repo.add_audit_event(
            db,
            officer=current(request).officer,
            action="officer_disable",
            target=f"officer:{username}",
        )
    return await _officers_page(request, notice=ui(request, "officer_disabled", username=username))


@admin_page
async def officer_reset(request: web.Request) -> web.Response:
    """POST /officer/admin/officers/{id}/reset-password: a one-time set-password link (F6).

    The account gets a random password nobody sees; the admin passes on the link."""
    await require_recent_login(request)
    username = await _username(request)
    settings = request.config_dict[SETTINGS]
    async with request.config_dict[SESSIONMAKER].begin() as db:
        officer, _ = await accounts.reset_to_generated_password(db, username)
        link = _link(settings.public_url, settings.secret_key, officer)
        await officer_repo.add_audit_event(
            db,
            officer=current(request).officer,
            action="officer_reset_password",
            target=f"officer:{username}",
            detail="one-time set-password link",
        )
    return await _officers_page(
        request, notice=ui(request, "set_password_link_shown", username=username, link=link)
    )


@admin_page
async def audit_log(request: web.Request) -> web.Response:
    """GET /officer/admin/audit: who saw or changed what, newest first; filters by parts
    of the officer's name or the target, by action and by days."""
    query = request.query
    fields = {
        "who": query.get("who", "").strip()[:100],
        "target": query.get("target", "").strip()[:200],
        "action": query.get("action", "").strip()[:60],
        "since": query.get("since", "").strip()[:10],
        "until": query.get("until", "").strip()[:10],
    }
    since, until = parse_day(fields["since"]), parse_day(fields["until"])
    fields["since"], fields["until"] = (str(day) if day else "" for day in (since, until))
    start, end = day_window(since, until)
    audit_filter = officer_repo.AuditFilter(
        who=fields["who"], target=fields["target"], action=fields["action"], since=start, until=end
    )
    try:
        page_number = max(1, int(query.get("page", "1")))
    except ValueError:
        page_number = 1
    async with request.config_dict[SESSIONMAKER].begin() as db:
        total = await officer_repo.count_audit_events(db, audit_filter)
        pages = max(1, -(-total // AUDIT_PER_PAGE))
        page_number = min(page_number, pages)
        events = await officer_repo.list_audit_events(
            db,
            limit=AUDIT_PER_PAGE,
            offset=(page_number - 1) * AUDIT_PER_PAGE,
            audit_filter=audit_filter,
        )
        codes = await officer_repo.audit_actions(db)
    texts, malform = texts_of(request), malform_of(request)

    def link(number: int) -> str:
        kept = {key: value for key, value in fields.items() if value}
        return PREFIX + "/admin/audit?" + urlencode({**kept, "page": str(number)})

    rows = [
        {
            "event": event,
            "label": action_label(event.action, texts, malform),
            "detail": decoded_detail(event.detail),
        }
        for event in events
    ]
    actions = [(code, action_label(code, texts, malform)) for code in codes]
    return page(
        request,
        "audit.html",
        {
            "rows": rows,
            "actions": actions,
            **fields,
            "page_number": page_number,
            "pages": pages,
            "total": total,
            "previous_url": link(page_number - 1) if page_number > 1 else "",
            "next_url": link(page_number + 1) if page_number < pages else "",
        },
    )
