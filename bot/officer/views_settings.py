"""Admin page: the settings a municipality may change while Medverk runs.

GET /officer/settings shows them with their defaults and who changed them;
POST /officer/settings checks every field and saves only when all are valid
(each change audited as `setting_change`, old → new); POST
/officer/settings/reset brings one setting back to its default
(`setting_reset`). Secrets and service addresses stay in the environment and
are only described here, never shown.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.keys import EFFECTIVE_SETTINGS, SESSIONMAKER, SETTINGS
from bot.officer.auth import PREFIX, admin_page, current
from bot.officer.render import local_time, malform_of, page, ui
from medverk.admin_settings import (
    FIELDS,
    Effective,
    InvalidSetting,
    apply_overrides,
    as_text,
    default_source,
    defaults,
    load_effective,
    parse,
)
from medverk.admin_settings.fields import MAX_EMAIL, MAX_ORIGINS, MAX_TEXT, RETENTION_DAYS_RANGE
from medverk.knowledge import KnowledgeError, contact_answer
from medverk.settings import Settings
from medverk.store import officer_repo, settings_repo
from medverk.store.models import AdminSetting

__all__ = ["settings_page", "settings_reset", "settings_save"]

# Far above any valid value: the checks give the kind message, this only caps memory.
_MAX_FORM_VALUE = 10_000
# Browsers stop typing here; the server checks again (a phone number needs far less).
_MAXLENGTH = {"email": MAX_EMAIL, "phone": 40}
_NOTICES = {
    "saved": "settings_saved",
    "unchanged": "settings_unchanged",
    "reset": "settings_reset_done",
}


def _default_shown(request: web.Request, key: str, value: str) -> str:
    """A default as the page shows it: choices by their short name, origins on one line."""
    if key == "default_malform":
        return ui(request, "malform_" + value)
    if key == "retention_mode":
        return ui(request, "retention_short_" + value)
    return value.replace("\n", ", ")


def _shown(value: str) -> str:
    """A value as the audit log shows it: quoted, origins on one line."""
    return '"' + value.replace("\n", ", ") + '"'


def _fixed(request: web.Request, settings: Settings) -> list[tuple[str, str]]:
    """The environment-only settings an admin may want to know, without secrets or URLs
    of internal services."""
    if settings.telegram_bot_token:
        telegram = (
            "fixed_telegram_webhook" if settings.telegram_webhook_url else "fixed_telegram_polling"
        )
    else:
        telegram = "fixed_telegram_off"
    database = "PostgreSQL" if settings.database_url.startswith("postgresql") else "SQLite"
    return [
        (ui(request, "fixed_public_url"), settings.public_url),
        (ui(request, "fixed_database"), database),
        (
            ui(request, "fixed_case_source"),
            "eInnsyn" if settings.case_source == "einnsyn" else ui(request, "fixed_case_files"),
        ),
        (
            ui(request, "fixed_case_sync"),
            ui(request, "fixed_minutes", minutes=max(1, settings.case_sync_interval_seconds // 60)),
        ),
        (ui(request, "fixed_telegram"), ui(request, telegram)),
        (
            ui(request, "fixed_chat_limits"),
            ui(
                request,
                "fixed_chat_limits_value",
                sender=settings.chat_limit_per_sender,
                ip=settings.chat_limit_per_ip,
            ),
        ),
        (ui(request, "fixed_secrets"), ui(request, "fixed_secrets_value")),
    ]


def _preview(request: web.Request, settings: Settings, values: Effective) -> str:
    """What the assistant answers about the contact with these values, in the app's målform."""
    try:
        return contact_answer(settings.knowledge_dir, values.contact, malform_of(request)).text
    except KnowledgeError:
        return ""


async def _render(
    request: web.Request,
    *,
    entered: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> web.Response:
    settings = request.config_dict[SETTINGS]
    async with request.config_dict[SESSIONMAKER]() as db:
        stored = {row.key: row for row in await settings_repo.list_settings(db)}
    base = defaults(settings)
    values = apply_overrides(base, {key: row.value for key, row in stored.items()})
    errors = errors or {}
    fields: list[dict[str, Any]] = []
    for spec in FIELDS:
        row: AdminSetting | None = stored.get(spec.key)
        fields.append(
            {
                "key": spec.key,
                "kind": spec.kind,
                "choices": spec.choices,
                "label": ui(request, "setting_" + spec.key),
                "value": entered[spec.key] if entered else as_text(getattr(values, spec.key)),
                "default": _default_shown(request, spec.key, as_text(getattr(base, spec.key))),
                "maxlength": _MAXLENGTH.get(spec.kind, MAX_TEXT),
                "source": default_source(spec.key),
                "env": spec.env,
                "changed_by": row.updated_by if row else "",
                "changed_at": local_time(row.updated_at) if row else "",
                "error": errors.get(spec.key, ""),
            }
        )
    return page(
        request,
        "settings.html",
        {
            "fields": fields,
            "by": {field["key"]: field for field in fields},
            "errors": bool(errors),
            "notice": notice,
            "preview": _preview(request, settings, values),
            "fixed": _fixed(request, settings),
            "days_min": RETENTION_DAYS_RANGE[0],
            "days_max": RETENTION_DAYS_RANGE[1],
            "max_origins": MAX_ORIGINS,
        },
        status=status,
    )


async def _refresh(request: web.Request) -> None:
    """Let this gateway use the change at once (others pick it up within 30 s)."""
    cache = request.config_dict.get(EFFECTIVE_SETTINGS)
    if cache is not None:
        await cache.refresh()


@admin_page
async def settings_page(request: web.Request) -> web.Response:
    """GET /officer/settings: the settings in force, their defaults and the fixed ones."""
    key = _NOTICES.get(request.query.get("done", ""))
    return await _render(request, notice=ui(request, key) if key else "")


@admin_page
async def settings_save(request: web.Request) -> web.Response:
    """POST /officer/settings: save every changed field, or nothing when one is invalid."""
    form = await request.post()
    entered = {spec.key: str(form.get(spec.key, ""))[:_MAX_FORM_VALUE] for spec in FIELDS}
    parsed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in FIELDS:
        try:
            parsed[spec.key] = parse(spec.key, entered[spec.key])
        except InvalidSetting as exc:
            errors[spec.key] = ui(request, exc.code, **exc.values)
    if errors:
        return await _render(request, entered=entered, errors=errors, status=400)
    officer = current(request).officer
    changed = 0
    async with request.config_dict[SESSIONMAKER].begin() as db:
        values = await load_effective(db, request.config_dict[SETTINGS])
        for spec in FIELDS:
            old, new = as_text(getattr(values, spec.key)), parsed[spec.key]
            if old == new:
                continue
            await settings_repo.set_setting(db, spec.key, new, by=officer.username)
            await officer_repo.add_audit_event(
                db,
                officer=officer,
                action="setting_change",
                target=f"setting:{spec.key}",
                detail=f"{_shown(old)} → {_shown(new)}",
            )
            changed += 1
    await _refresh(request)
    raise web.HTTPSeeOther(PREFIX + "/settings?done=" + ("saved" if changed else "unchanged"))


@admin_page
async def settings_reset(request: web.Request) -> web.Response:
    """POST /officer/settings/reset: one setting back to its default (env, file or built-in)."""
    form = await request.post()
    key = str(form.get("reset", ""))
    if key not in {spec.key for spec in FIELDS}:
        raise web.HTTPBadRequest()
    settings = request.config_dict[SETTINGS]
    async with request.config_dict[SESSIONMAKER].begin() as db:
        before = await load_effective(db, settings)
        removed = await settings_repo.delete_setting(db, key)
        if removed:
            after = await load_effective(db, settings)
            await officer_repo.add_audit_event(
                db,
                officer=current(request).officer,
                action="setting_reset",
                target=f"setting:{key}",
                detail=f"{_shown(as_text(getattr(before, key)))} → "
                f"{_shown(as_text(getattr(after, key)))}",
            )
    await _refresh(request)
    raise web.HTTPSeeOther(PREFIX + "/settings?done=" + ("reset" if removed else "unchanged"))
