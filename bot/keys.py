"""Typed keys for the gateway's application state (aiohttp `web.AppKey`)."""

from __future__ import annotations

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.rasa_client import RasaClient
from medverk.admin_settings import EffectiveCache
from medverk.settings import Settings

__all__ = [
    "EFFECTIVE_SETTINGS",
    "ENGINE",
    "HTTP_SESSION",
    "RASA_CLIENT",
    "SESSIONMAKER",
    "SETTINGS",
]

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONMAKER = web.AppKey("sessionmaker", async_sessionmaker[AsyncSession])
HTTP_SESSION = web.AppKey("http_session", aiohttp.ClientSession)
RASA_CLIENT = web.AppKey("rasa_client", RasaClient)
# The admin-editable settings in force (bot/effective.py keeps them fresh).
EFFECTIVE_SETTINGS = web.AppKey("effective_settings", EffectiveCache)
