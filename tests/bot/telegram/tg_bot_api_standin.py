"""A local stand-in for the Telegram Bot API, for python-telegram-bot to talk to.

An aiohttp server implementing the methods the bot uses (getMe, getUpdates,
sendMessage, editMessageReplyMarkup, answerCallbackQuery, setMyCommands,
setWebhook, deleteWebhook, sendChatAction). Tests push updates as a user
would send them and read back every call the bot made.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

__all__ = ["BotApiStandIn", "Call"]

BOT_ID = 7_000_000_001
BOT_USERNAME = "medverk_test_bot"
# Parameters python-telegram-bot sends JSON-encoded in its form posts.
_JSON_PARAMS = {
    "reply_markup",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
}


@dataclass(frozen=True)
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    at: float


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


@dataclass
class BotApiStandIn:
    """The stand-in server and what happened on it."""

    token: str = "123456:TEST-token_for-the-stand-in"
    calls: list[Call] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)
    rate_limit_next: dict[str, int] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._chats: dict[int, dict[str, Any]] = {}
        self._changed = asyncio.Condition()
        self._server: TestServer | None = None
        self.webhook: dict[str, Any] | None = None
        self.bot_user = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Medverk",
            "username": BOT_USERNAME,
        }

    # -- server -------------------------------------------------------------------

    async def start(self) -> str:
        """Start listening; returns the base URL for TELEGRAM_API_BASE_URL."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return f"http://127.0.0.1:{self._server.port}/bot"

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            await self._server.close()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = value if isinstance(value, str) else ""
            params[key] = json.loads(text) if key in _JSON_PARAMS else text
        return params

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        if method != "getUpdates":
            async with self._changed:
                self.calls.append(Call(method, params, time.monotonic()))
                self._changed.notify_all()
        if self.rate_limit_next.get(method):
            self.rate_limit_next[method] -= 1
            return _error(429, "Too Many Requests: retry after 1", retry_after=1)
        handler = getattr(self, "_" + method, None)
        if handler is None:
            return _error(404, "Not Found")
        return await handler(params)

    # -- Bot API methods ----------------------------------------------------------

    async def _getMe(self, _params: dict[str, Any]) -> web.Response:
        return _ok({**self.bot_user, "can_join_groups": True})

    async def _getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout)
            return _ok(self._updates[:limit])

    async def _deleteWebhook(self, _params: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok(True)

    async def _setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = params
        return _ok(True)

    async def _setMyCommands(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _sendChatAction(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _answerCallbackQuery(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _sendMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked_chats:
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat_id not in self._chats:
            return _error(400, "Bad Request: chat not found")
        text = str(params.get("text", ""))
        if not text or len(text.encode("utf-16-le")) // 2 > 4096:
            return _error(400, "Bad Request: message text is empty or too long")
        message = self._message(chat_id, self.bot_user, text)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.sent.append(message)
        return _ok(message)

    async def _editMessageReplyMarkup(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        message = self._message(chat_id, self.bot_user, "", message_id=params["message_id"])
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return _ok(message)

    # -- what a user does ---------------------------------------------------------

    def _message(
        self,
        chat_id: int,
        sender: dict[str, Any],
        text: str | None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chats.get(chat_id, {"id": chat_id, "type": "private"}),
            "from": sender,
        }
        if text is not None:
            message["text"] = text
        return message

    def add_chat(self, chat_id: int, chat_type: str = "private") -> None:
        """A chat that exists (someone wrote to the bot from it once)."""
        self._chats[chat_id] = {"id": chat_id, "type": chat_type}

    @staticmethod
    def user(user_id: int, language_code: str | None = "nn") -> dict[str, Any]:
        """A Telegram user (a young person) with their app's language."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Kari"}
        if language_code:
            user["language_code"] = language_code
        return user

    async def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        async with self._changed:
            update["update_id"] = next(self._update_ids)
            self._updates.append(update)
            self._changed.notify_all()
        return update

    def build_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        language_code: str | None = "nn",
        chat_type: str = "private",
        user_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A message update as Telegram would deliver it (commands get their entity)."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Ungdomsrådet"
        self._chats[chat_id] = chat
        sender = self.user(user_id or abs(chat_id), language_code)
        message = self._message(chat_id, sender, text)
        if text and text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        mention = "@" + BOT_USERNAME
        if text and mention in text:
            offset = len(text[: text.index(mention)].encode("utf-16-le")) // 2
            entity = {"type": "mention", "offset": offset, "length": len(mention)}
            message.setdefault("entities", []).append(entity)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(extra)
        return {"message": message}

    async def send(self, chat_id: int, text: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """A user sends a message (text, or e.g. photo=[...] with text=None)."""
        return await self._push(self.build_message(chat_id, text, **kwargs))

    async def press(
        self, chat_id: int, message: dict[str, Any], data: str, language_code: str = "nn"
    ) -> dict[str, Any]:
        """A user presses the inline button with callback_data `data` on `message`."""
        query = {
            "id": str(next(self._update_ids) * 7919),
            "from": self.user(abs(chat_id), language_code),
            "chat_instance": str(chat_id),
            "message": message,
            "data": data,
        }
        return await self._push({"callback_query": query})

    # -- what the bot did ---------------------------------------------------------

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        """Calls of `method` (to `chat_id` when given), in order."""
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message (as Telegram stores it) the bot sent to `chat_id`."""
        return [m for m in self.sent if m["chat"]["id"] == chat_id]

    def texts_to(self, chat_id: int) -> list[str]:
        """The texts of every message the bot sent to `chat_id`."""
        return [str(c.params["text"]) for c in self.calls_to("sendMessage", chat_id)]

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 30) -> None:
        """Wait until `condition()` holds (checked after every call the bot makes)."""

        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(wait(), timeout)

    async def replies(
        self, chat_id: int, after: int, count: int = 1, timeout: float = 30
    ) -> list[Call]:
        """Wait for `count` sendMessage calls to `chat_id` beyond the first `after`."""
        await self.wait_until(
            lambda: len(self.calls_to("sendMessage", chat_id)) >= after + count, timeout
        )
        return self.calls_to("sendMessage", chat_id)[after:]
