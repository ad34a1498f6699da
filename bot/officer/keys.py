"""Typed keys for the officer app's state (on the officer sub-application)."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.officer.ratelimit import SlidingWindowLimiter
from medverk.officers.texts import OfficerTexts

__all__ = ["LEMMATISER", "LOGIN_LIMITER", "TEXTS", "TRUST_PROXY"]

TEXTS = web.AppKey("officer_texts", OfficerTexts)
LOGIN_LIMITER = web.AppKey("officer_login_limiter", SlidingWindowLimiter)
LEMMATISER = web.AppKey("officer_lemmatiser", Callable[[str], list[str]])  # type: ignore[arg-type]
TRUST_PROXY = web.AppKey("officer_trust_proxy", bool)
