"""One turn per message id: a resend of the same widget message gets the same reply.

The widget sends a client `message_id` with each message and sends it again
with the same id after a failure (a 503, a timeout, a lost connection). The
gateway then never takes the message twice:

- the reply given to an id is kept in the store (`chat_replies`, the last 20 per
  conversation, for a day), so a resend after the answer was lost on the way,
  also after a gateway restart, gets that reply again;
- while a turn for an id is still running (Rasa busy past the 30 s the person
  waits), a resend waits for that same turn instead of starting a second one:
  the turn goes on in the background for up to `TURN_SECONDS`.

A turn that failed (`RasaUnavailable`) keeps nothing, so the resend is a new try.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.keys import SESSIONMAKER, SETTINGS
from bot.rasa_client import RasaUnavailable
from medverk.identity import rasa_sender_id, sender_key
from medverk.store.replies_repo import forget_replies, get_reply, save_reply

__all__ = [
    "ANSWER_SECONDS",
    "IN_FLIGHT",
    "TURN_SECONDS",
    "InFlight",
    "answer_once",
    "forget_kept_replies",
]

log = logging.getLogger(__name__)

# How long a person's request waits, and how long the turn itself may run in Rasa.
ANSWER_SECONDS = 30.0
TURN_SECONDS = 180.0

Reply = dict[str, Any]


class InFlight:
    """The turns running now, by (conversation, message id)."""

    def __init__(self) -> None:
        self.tasks: dict[tuple[str, str], asyncio.Task[Reply]] = {}


IN_FLIGHT = web.AppKey("chat_in_flight", InFlight)


async def _stored(app: web.Application, key: str, message_id: str) -> Reply | None:
    try:
        async with app[SESSIONMAKER].begin() as session:
            raw = await get_reply(session, key, message_id)
    except (SQLAlchemyError, OSError, asyncio.TimeoutError):
        log.warning("could not read a kept reply; the message is taken as new")
        return None
    if raw is None:
        return None
    value = json.loads(raw)
    return value if isinstance(value, dict) else None


async def _keep(app: web.Application, key: str, message_id: str, reply: Reply) -> None:
    try:
        async with app[SESSIONMAKER].begin() as session:
            await save_reply(session, key, message_id, json.dumps(reply, ensure_ascii=False))
    except (SQLAlchemyError, OSError, asyncio.TimeoutError):
        # The person still gets the reply; only a later resend of it is taken anew.
        log.warning("could not keep a reply by its message id")


def _finished(
    tasks: dict[tuple[str, str], asyncio.Task[Reply]],
    key: tuple[str, str],
    task: asyncio.Task[Reply],
) -> None:
    tasks.pop(key, None)
    if not task.cancelled() and task.exception() is not None:
        log.info("a turn no one waited for failed: %s", task.exception())


async def answer_once(
    app: web.Application,
    sender: str,
    message_id: str,
    run: Callable[[float], Awaitable[Reply]],
) -> Reply:
    """The reply to `message_id` of web `sender`: kept, joined, or `run(turn_seconds)`."""
    key = sender_key(app[SETTINGS].secret_key, rasa_sender_id("web", sender, ""))
    tasks = app[IN_FLIGHT].tasks
    task = tasks.get((key, message_id))
    if task is None:
        kept = await _stored(app, key, message_id)
        if kept is not None:
            return kept
        task = tasks.get((key, message_id))
    if task is None:

        async def turn() -> Reply:
            reply = await run(TURN_SECONDS)
            await _keep(app, key, message_id, reply)
            return reply

        task = asyncio.create_task(turn())
        tasks[(key, message_id)] = task
        task.add_done_callback(lambda done: _finished(tasks, (key, message_id), done))
    try:
        return await asyncio.wait_for(asyncio.shield(task), ANSWER_SECONDS)
    except asyncio.TimeoutError:
        raise RasaUnavailable("the turn is still running; send the same message id again") from None


async def forget_kept_replies(app: web.Application, sender: str) -> None:
    """Forget the replies kept for web `sender` (its conversation was erased)."""
    key = sender_key(app[SETTINGS].secret_key, rasa_sender_id("web", sender, ""))
    try:
        async with app[SESSIONMAKER].begin() as session:
            await forget_replies(session, key)
    except (SQLAlchemyError, OSError, asyncio.TimeoutError):
        log.warning("could not forget the kept replies of an erased conversation")
