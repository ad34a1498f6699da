"""The web widget's chat API (contract in PRODUCT.md).

`POST /api/chat` `{"sender", "message", "message_id"?}` → `{"messages":
[{"text", "buttons"}], "malform"}`; `malform` is the conversation's målform
when the assistant knows it, so the widget can follow it. `message_id` (8-64
of A-Z a-z 0-9 _ -, optional) is the client's id of the message: a resend with
the same id gets the same reply and is never a second turn (`bot/replay.py`).

`POST /api/chat/pending` `{"sender"}` → `{"messages": [...]}`: officers'
answers and decision notices waiting for this conversation, each returned once
(the widget asks when it is opened). It never reaches Rasa. The answer has the
same shape whether the sender is known or not, and a database failure gives
`{"messages": []}` with the messages still waiting. Same validation, rate
limits (one shared budget with `/api/chat`) and CORS as `/api/chat`.

Errors are JSON `{"error": {"code", "message"}}` with a 4xx/5xx status; the
widget shows its own kind text per code, so `message` is for developers:
400 invalid_json / invalid_body / invalid_sender / invalid_message /
invalid_message_id / empty_message, 403 origin_not_allowed, 413 message_too_long,
415 unsupported_media_type, 429 rate_limited (with `Retry-After`),
503 assistant_unavailable (Rasa or the action server is away; the body also
has `messages` with a kind text in the conversation's målform, and the turn
was not taken, so the widget sends the same message again later).

Browsers only reach the API from the gateway's own pages and from the allowed
origins (environment, or the officer app's settings page; CORS); the JSON
content type forces a preflight, so other sites cannot post in a visitor's name.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections import OrderedDict
from typing import Any

from aiohttp import web
from yarl import URL

from bot.conversation import RasaUnavailable, converse, pending_web_messages
from bot.effective import effective
from bot.keys import RASA_CLIENT, SETTINGS
from bot.messages import gateway_text
from bot.proxy import client_ip
from bot.rasa_client import TURN_MALFORM
from bot.rate_limit import RateLimiter
from bot.replay import IN_FLIGHT, InFlight, answer_once
from medverk.identity import rasa_sender_id
from medverk.names import WEB_SENDER_PATTERN as SENDER_PATTERN

__all__ = ["MAX_BODY_BYTES", "MAX_MESSAGE_CHARS", "SENDER_PATTERN", "setup"]

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
# 4000 characters of JSON-escaped emoji fit; anything larger is not a chat message.
MAX_BODY_BYTES = 64 * 1024
# Control characters break storage (PostgreSQL rejects NUL) and mean nothing in chat;
# so do lone UTF-16 surrogates ("\ud800" in the JSON), which no encoder can write.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_TRACKER_SECONDS = 2.0


class RecentMalforms:
    """The målform of recent conversations, so a reply while Rasa is away uses it too."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._malforms: OrderedDict[str, str] = OrderedDict()

    def remember(self, sender: str, malform: str) -> None:
        self._malforms[sender] = malform
        self._malforms.move_to_end(sender)
        while len(self._malforms) > self._size:
            self._malforms.popitem(last=False)

    def get(self, sender: str) -> str | None:
        return self._malforms.get(sender)


RECENT_MALFORMS = web.AppKey("chat_recent_malforms", RecentMalforms)
SENDER_LIMITER = web.AppKey("chat_sender_limiter", RateLimiter)
IP_LIMITER = web.AppKey("chat_ip_limiter", RateLimiter)


class ChatError(Exception):
    """A refused request, answered as JSON `{"error": {"code", "message", ...}}`."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {"code": code, "message": message, **details}}
        self.headers: dict[str, str] = {"Cache-Control": "no-store"}

    def response(self, extra_headers: dict[str, str]) -> web.Response:
        return web.json_response(
            self.body, status=self.status, headers={**self.headers, **extra_headers}
        )


def _cors_headers(request: web.Request) -> dict[str, str]:
    """CORS headers for an allowed cross-origin caller; raises for a refused one."""
    origin = request.headers.get("Origin")
    if not origin:
        return {}
    settings = request.app[SETTINGS]
    own = {str(request.url.origin()), str(URL(settings.public_url).origin())}
    if origin in own:
        return {}
    if origin in effective(request.app).allowed_origins:
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
            "Vary": "Origin",
        }
    raise ChatError(
        403,
        "origin_not_allowed",
        "This site may not use the chat API; an admin can allow it in the officer app's settings.",
    )


def _check_rate(request: web.Request, sender: str | None) -> None:
    waits = [request.app[IP_LIMITER].retry_after(client_ip(request))]
    if sender is not None:
        waits.append(request.app[SENDER_LIMITER].retry_after(sender))
    wait = max(waits)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        error = ChatError(
            429, "rate_limited", "Too many messages; wait and try again.", retry_after=seconds
        )
        error.headers["Retry-After"] = str(seconds)
        raise error


async def _read_json(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise ChatError(
            415, "unsupported_media_type", "Send JSON (Content-Type: application/json)."
        )
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ChatError(
            413, "message_too_long", "The request is too large.", max_chars=MAX_MESSAGE_CHARS
        )
    try:
        # Bounded by the app's client_max_size even when no Content-Length is sent.
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raw = None
    if raw is None or len(raw) > MAX_BODY_BYTES:
        raise ChatError(
            413, "message_too_long", "The request is too large.", max_chars=MAX_MESSAGE_CHARS
        )
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: deep nesting (F13)
        raise ChatError(400, "invalid_json", "The body is not valid UTF-8 JSON.") from None
    if not isinstance(body, dict):
        raise ChatError(
            400, "invalid_body", 'The body must be a JSON object {"sender", "message"}.'
        )
    return body


def _sender(body: dict[str, Any]) -> str:
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise ChatError(
            400, "invalid_sender", "sender must be 8-64 characters of A-Z, a-z, 0-9, _ and -."
        )
    return sender


def _message_id(body: dict[str, Any]) -> str | None:
    """The client's optional id of this message (the same on a resend), or None."""
    value = body.get("message_id")
    if value is None:
        return None
    if not isinstance(value, str) or not SENDER_PATTERN.match(value):
        raise ChatError(
            400,
            "invalid_message_id",
            "message_id must be 8-64 characters of A-Z, a-z, 0-9, _ and -.",
        )
    return value


def clean_message(message: object) -> str:
    """The text to send to the assistant, or a ChatError saying why not."""
    if not isinstance(message, str):
        raise ChatError(400, "invalid_message", "message must be a string.")
    try:
        message.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: Rasa would fail the turn and log it (F15)
        raise ChatError(400, "invalid_message", "message is not valid text.") from None
    text = _CONTROL.sub("", unicodedata.normalize("NFC", message)).strip()
    if text.startswith("/"):
        # A payload is one line: a newline in it would forge a line in Rasa's log (F15).
        text = " ".join(text.split())
    if not text:
        raise ChatError(400, "empty_message", "message is empty.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ChatError(
            413,
            "message_too_long",
            f"message is longer than {MAX_MESSAGE_CHARS} characters.",
            max_chars=MAX_MESSAGE_CHARS,
        )
    return text


async def conversation_malform(app: web.Application, sender: str) -> str | None:
    """The conversation's målform slot, read from Rasa's tracker; None when unknown."""
    rasa_sender = rasa_sender_id("web", sender, app[SETTINGS].secret_key)
    try:
        value = await app[RASA_CLIENT].slot(rasa_sender, "malform", timeout=_TRACKER_SECONDS)
    except RasaUnavailable:
        return None
    return value if value in ("nn", "nb") else None


async def chat(request: web.Request) -> web.Response:
    """Forward one message to the assistant and return its replies."""
    cors: dict[str, str] = {}
    try:
        cors = _cors_headers(request)
        body = await _read_json(request)
        sender = _sender(body)
        _check_rate(request, sender)
        message = clean_message(body.get("message"))
        message_id = _message_id(body)
    except ChatError as error:
        return error.response(cors)
    app = request.app
    known = app[RECENT_MALFORMS].get(sender)

    async def turn(rasa_timeout: float | None = None) -> dict[str, Any]:
        TURN_MALFORM.set(None)  # nothing from an earlier request on this connection
        messages = await converse(
            app, "web", sender, message, malform=known, rasa_timeout=rasa_timeout
        )
        reply: dict[str, Any] = {"messages": messages}
        # The engine's answer carries the slot; the tracker is asked only when it did not.
        malform = TURN_MALFORM.get()
        if malform is None:
            malform = await conversation_malform(app, sender)
        if malform:
            reply["malform"] = malform
        return reply

    try:
        if message_id is None:
            reply = await turn()
        else:
            reply = await answer_once(app, sender, message_id, turn)
    except RasaUnavailable as exc:
        log.warning("chat: assistant unavailable: %s", exc)
        unavailable = ChatError(
            503, "assistant_unavailable", "The assistant cannot answer; try again."
        )
        # Clients that show no text of their own can show this one (in the person's målform).
        text = gateway_text(
            "assistant_unavailable",
            known or effective(app).default_malform,
            app[SETTINGS].knowledge_dir,
        )
        unavailable.body["messages"] = [{"text": text, "buttons": []}]
        unavailable.headers["Retry-After"] = "5"
        return unavailable.response(cors)
    if reply.get("malform") in ("nn", "nb"):
        app[RECENT_MALFORMS].remember(sender, reply["malform"])
    return web.json_response(reply, headers={**cors, "Cache-Control": "no-store"})


async def pending(request: web.Request) -> web.Response:
    """Return (once) the messages waiting for this conversation; never asks Rasa."""
    cors: dict[str, str] = {}
    try:
        cors = _cors_headers(request)
        sender = _sender(await _read_json(request))
        _check_rate(request, sender)
    except ChatError as error:
        return error.response(cors)
    messages = await pending_web_messages(request.app, sender)
    return web.json_response({"messages": messages}, headers={**cors, "Cache-Control": "no-store"})


async def preflight(request: web.Request) -> web.Response:
    """Answer a CORS preflight from an allowed origin."""
    try:
        return web.Response(status=204, headers=_cors_headers(request))
    except ChatError as error:
        return error.response({})


def setup(app: web.Application) -> None:
    """Register the chat API and its rate limiters."""
    settings = app[SETTINGS]
    app[SENDER_LIMITER] = RateLimiter(settings.chat_limit_per_sender, 60)
    app[IP_LIMITER] = RateLimiter(settings.chat_limit_per_ip, 60)
    app[RECENT_MALFORMS] = RecentMalforms()
    app[IN_FLIGHT] = InFlight()
    app.router.add_post("/api/chat", chat, name="chat")
    app.router.add_route("OPTIONS", "/api/chat", preflight)
    app.router.add_post("/api/chat/pending", pending, name="chat_pending")
    app.router.add_route("OPTIONS", "/api/chat/pending", preflight)
