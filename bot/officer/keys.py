"""Typed keys for the officer app's state (on the officer sub-application)."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.officer.login_guard import InFlight
from bot.officer.ratelimit import SlidingWindowLimiter
from medverk.officers.answer_templates import AnswerTemplate
from medverk.officers.inbox import FilterOptions
from medverk.officers.texts import OfficerTexts

__all__ = [
    "ANSWER_TEMPLATES",
    "FILTER_OPTIONS",
    "LEMMATISER",
    "LOGIN_IN_FLIGHT",
    "LOGIN_LIMITER",
    "TEXTS",
]

TEXTS = web.AppKey("officer_texts", OfficerTexts)
LOGIN_LIMITER = web.AppKey("officer_login_limiter", SlidingWindowLimiter)
LOGIN_IN_FLIGHT = web.AppKey("officer_login_in_flight", InFlight)
LEMMATISER: web.AppKey[Callable[[str], list[str]]] = web.AppKey("officer_lemmatiser")
# (valid until, options): the filter menus change slowly and reading them scans the table.
FILTER_OPTIONS = web.AppKey("officer_filter_options", dict[str, tuple[float, FilterOptions]])
ANSWER_TEMPLATES = web.AppKey("officer_answer_templates", tuple[AnswerTemplate, ...])
