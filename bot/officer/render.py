"""Rendering helpers shared by the officer app's views."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.effective import effective
from bot.officer.auth import PREFIX, current
from bot.officer.keys import TEXTS
from medverk.clock import TIMEZONE
from medverk.officers.texts import OfficerTexts

__all__ = ["local_time", "malform_of", "page", "texts_of", "ui"]


def malform_of(request: web.Request) -> str:
    """The officer app's målform: the municipality's (settings page or environment)."""
    return effective(request.config_dict).default_malform


def texts_of(request: web.Request) -> OfficerTexts:
    """The loaded officer texts."""
    return request.config_dict[TEXTS]


def ui(request: web.Request, key: str, **values: object) -> str:
    """One UI label in the app's målform."""
    return texts_of(request).ui(key, malform_of(request), **values)


def local_time(value: datetime | None) -> str:
    """A stored UTC time as local 'dd.mm.yyyy hh:mm' (empty for None)."""
    if value is None:
        return ""
    return value.astimezone(TIMEZONE).strftime("%d.%m.%Y %H:%M")


def page(
    request: web.Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    logged_in: bool = True,
) -> web.Response:
    """Render a page with the labels, the officer and the CSRF token added."""
    malform = malform_of(request)
    full: dict[str, Any] = {
        "t": texts_of(request).labels(malform),
        "lang": malform,
        "base": PREFIX,
        "officer": None,
        "csrf_token": "",
    }
    if logged_in:
        active = current(request)
        full["officer"] = active.officer
        full["csrf_token"] = active.csrf_token
    full.update(context)
    response = aiohttp_jinja2.render_template(template, request, full, status=status)
    # Pages hold personal data: never keep them in a shared or back-button cache.
    response.headers["Cache-Control"] = "no-store"
    return response
