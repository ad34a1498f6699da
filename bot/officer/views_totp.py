"""An officer's own second factor: GET /officer/totp, POST .../confirm and .../disable (F6).

Admins must have one (every other page sends them here until it is confirmed);
officers may turn it on and off. Turning it off needs a recent login and a valid code.
"""

from __future__ import annotations

from aiohttp import web

from bot.keys import SESSIONMAKER, SETTINGS
from bot.officer.auth import current, enrolment_page
from bot.officer.reauth import require_recent_login
from bot.officer.render import page, ui
from medverk.officers import totp
from medverk.store import officer_repo

__all__ = ["totp_confirm", "totp_disable", "totp_page"]

MAX_FIELD = 100


async def _render(
    request: web.Request,
    *,
    error: str = "",
    notice: str = "",
    recovery_codes: list[str] | None = None,
    status: int = 200,
) -> web.Response:
    active = current(request)
    secret_key = request.config_dict[SETTINGS].secret_key
    context: dict[str, object] = {
        "error": error,
        "notice": notice,
        "recovery_codes": recovery_codes or [],
        "enabled": False,
        "required": active.officer.role == "admin",
        "secret": "",
        "uri": "",
    }
    async with request.config_dict[SESSIONMAKER].begin() as db:
        officer = await officer_repo.get_officer(db, active.officer.id)
        assert officer is not None  # the session guard checked it
        if officer.totp_confirmed:
            context["enabled"] = True
        else:
            secret = totp.unseal(officer.totp_secret or "", secret_key)
            if secret is None:
                secret = await totp.start_enrolment(db, officer, secret_key)
            context["secret"] = secret
            context["uri"] = totp.provisioning_uri(secret, officer.username)
    return page(request, "totp.html", context, status=status)


@enrolment_page
async def totp_page(request: web.Request) -> web.Response:
    """GET /officer/totp: the secret to enrol, or the state and the off switch."""
    return await _render(request)


def _code(form: object) -> str:
    value = form.get("code", "") if hasattr(form, "get") else ""
    return str(value)[:MAX_FIELD]


@enrolment_page
async def totp_confirm(request: web.Request) -> web.Response:
    """POST /officer/totp/confirm: turn the second factor on with a first valid code."""
    code = _code(await request.post())
    active = current(request)
    secret_key = request.config_dict[SETTINGS].secret_key
    async with request.config_dict[SESSIONMAKER].begin() as db:
        officer = await officer_repo.get_officer(db, active.officer.id)
        assert officer is not None
        codes = await totp.confirm_enrolment(db, officer, code, secret_key)
        await officer_repo.add_audit_event(
            db,
            officer=officer,
            action="totp_enabled" if codes else "totp_enrol_failed",
            target=f"officer:{officer.username}",
        )
    if codes is None:
        return await _render(request, error=ui(request, "totp_wrong_code"), status=400)
    return await _render(request, notice=ui(request, "totp_enabled"), recovery_codes=codes)


@enrolment_page
async def totp_disable(request: web.Request) -> web.Response:
    """POST /officer/totp/disable: turn it off (officers only; recent login and a code)."""
    active = current(request)
    if active.officer.role == "admin":
        return await _render(request, error=ui(request, "totp_required_admin"), status=400)
    await require_recent_login(request, "/totp")
    code = _code(await request.post())
    secret_key = request.config_dict[SETTINGS].secret_key
    async with request.config_dict[SESSIONMAKER].begin() as db:
        officer = await officer_repo.get_officer(db, active.officer.id)
        assert officer is not None
        check = await totp.check_code(db, officer, code, secret_key)
        if check.ok:
            await totp.disable(db, officer)
        await officer_repo.add_audit_event(
            db,
            officer=officer,
            action="totp_disabled" if check.ok else "totp_disable_failed",
            target=f"officer:{officer.username}",
        )
    if not check.ok:
        key = "login_locked_code" if check.locked else "totp_wrong_code"
        return await _render(request, error=ui(request, key), status=400)
    return await _render(request, notice=ui(request, "totp_disabled"))
