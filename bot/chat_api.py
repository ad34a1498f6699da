"""POST /api/chat — the web widget's chat API (contract in PRODUCT.md)."""

from __future__ import annotations

import json

from aiohttp import web

from bot.conversation import RasaUnavailable, converse
from bot.keys import SETTINGS
from bot.messages import gateway_text

__all__ = ["setup"]

MAX_MESSAGE_CHARS = 4000


async def chat(request: web.Request) -> web.Response:
    """Forward one message to the assistant and return its replies."""
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text='{"error": "invalid_json"}', content_type="application/json")
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text='{"error": "invalid_body"}', content_type="application/json")
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not isinstance(message, str):
        raise web.HTTPBadRequest(
            text='{"error": "sender_and_message_must_be_strings"}', content_type="application/json"
        )
    if len(message) > MAX_MESSAGE_CHARS:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_MESSAGE_CHARS, actual_size=len(message), text='{"error": "too_long"}',
            content_type="application/json",
        )
    try:
        messages = await converse(request.app, "web", sender, message)
    except ValueError:
        raise web.HTTPBadRequest(text='{"error": "invalid_sender"}', content_type="application/json")
    except RasaUnavailable:
        text = gateway_text("assistant_unavailable", request.app[SETTINGS].default_malform)
        return web.json_response(
            {"error": "assistant_unavailable", "messages": [{"text": text, "buttons": []}]},
            status=503,
        )
    return web.json_response({"messages": messages})


def setup(app: web.Application) -> None:
    """Register the chat API."""
    app.router.add_post("/api/chat", chat, name="chat")
