"""An officer's own digest e-mail: GET/POST /officer/digest (off, daily or weekly;
which committees and cases). Saving is audited; the hourly digest job reads it."""

from __future__ import annotations

from aiohttp import web

from bot.keys import SESSIONMAKER
from bot.officer.auth import current, officer_page
from bot.officer.render import malform_of, page, ui
from medverk.admin_settings.fields import is_email
from medverk.officers.digest import SmtpSettings
from medverk.officers.inbox import filter_options
from medverk.store import digest_repo, officer_repo
from medverk.store.models.officers import DIGEST_FREQUENCIES

__all__ = ["digest_page", "digest_save"]

CHOICES = ("off", *DIGEST_FREQUENCIES)
MALFORMS = ("nn", "nb")


async def _render(
    request: web.Request,
    *,
    values: dict[str, object] | None = None,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> web.Response:
    officer = current(request).officer
    async with request.config_dict[SESSIONMAKER]() as db:
        options = await filter_options(db)
        row = await digest_repo.get_digest(db, officer.id)
        scopes = await digest_repo.scopes_of(db, officer.id)
    if values is None:
        committees = set(scopes.committees) | ({row.committee} if row and row.committee else set())
        values = {
            "frequency": row.frequency if row else "off",
            "email": row.email if row else "",
            "malform": row.malform if row else malform_of(request),
            "committees": committees,
            "cases": set(scopes.cases),
        }
    context = {
        "v": values,
        "choices": CHOICES,
        "malforms": MALFORMS,
        "committees": options.committees,
        "cases": options.cases,
        "last_sent": row.last_sent_at if row else None,
        "smtp_off": SmtpSettings.from_env() is None,
        "notice": notice,
        "error": error,
    }
    return page(request, "digest.html", context, status=status)


@officer_page
async def digest_page(request: web.Request) -> web.Response:
    """GET /officer/digest: the officer's own opt-in."""
    return await _render(request)


@officer_page
async def digest_save(request: web.Request) -> web.Response:
    """POST /officer/digest: save the opt-in (CSRF checked by `officer_page`)."""
    form = await request.post()
    frequency = str(form.get("frequency", "off"))
    if frequency not in CHOICES:
        raise web.HTTPBadRequest()
    malform = str(form.get("malform", "nn"))
    malform = malform if malform in MALFORMS else "nn"
    email = str(form.get("email", "")).strip()[:300]
    committees = {str(c)[:200] for c in form.getall("committee", []) if isinstance(c, str) and c}
    cases = {str(c)[:20] for c in form.getall("case", []) if isinstance(c, str) and c}
    values: dict[str, object] = {
        "frequency": frequency,
        "email": email,
        "malform": malform,
        "committees": committees,
        "cases": cases,
    }
    if frequency != "off" and not is_email(email):
        return await _render(
            request, values=values, error=ui(request, "digest_bad_email"), status=400
        )
    officer = current(request).officer
    async with request.config_dict[SESSIONMAKER].begin() as db:
        wanted = "" if frequency == "off" else frequency
        await digest_repo.set_digest(
            db, officer.id, email=email, frequency=wanted, committee="", malform=malform
        )
        kept = digest_repo.Scopes()
        if wanted:
            kept = await digest_repo.set_scopes(db, officer.id, committees, cases)
        await officer_repo.add_audit_event(
            db,
            officer=officer,
            action="digest_optin",
            target=f"officer:{officer.username}",
            detail=(
                f"frequency={frequency} committees={'|'.join(kept.committees)} "
                f"cases={'|'.join(kept.cases)}"
            ),
        )
    return await _render(request, notice=ui(request, f"digest_saved_{frequency}"))
