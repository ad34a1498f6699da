"""Whether the assistant can answer a turn, and undoing a turn the action server broke.

When the action server is away, Rasa still answers HTTP 200, but every custom
action fails and Rasa logs the turn with its events lost (the reply is often
empty, a form's answer is thrown away). The gateway therefore never shows an
empty reply: it asks the action server, and when it is down, it undoes the
turn in Rasa's tracker (Rasa's own `rewind` event, except in a form, see
`undo_turn`) and raises `RasaUnavailable`, so the channel keeps the message
and sends it again later. After the restart the conversation continues from
where it was, a form included.

`ActionServerWatch` remembers a failed check, so while the action server is
known to be down a turn is refused before it reaches Rasa; every such refusal
asks again, so the first turn after the restart goes through.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.keys import HTTP_SESSION, RASA_CLIENT, SETTINGS
from bot.rasa_client import RasaUnavailable

__all__ = ["ACTION_SERVER_WATCH", "ActionServerWatch", "undo_turn"]

log = logging.getLogger(__name__)

_TIMEOUT = aiohttp.ClientTimeout(total=2)


class ActionServerWatch:
    """The action server's state as last seen by the gateway."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self._session = session
        self._url = url.rstrip("/")
        self.down_since: float | None = None

    async def is_up(self) -> bool:
        """Ask the action server's /health now, and remember the answer."""
        try:
            async with self._session.get(f"{self._url}/health", timeout=_TIMEOUT) as response:
                up = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            up = False
        if up:
            if self.down_since is not None:
                log.info("the action server answers again")
            self.down_since = None
        elif self.down_since is None:
            log.warning("the action server does not answer")
            self.down_since = time.monotonic()
        return up

    async def ensure_up(self) -> None:
        """Raise `RasaUnavailable` when the action server was down and still is."""
        if self.down_since is not None and not await self.is_up():
            raise RasaUnavailable("the action server is down")


ACTION_SERVER_WATCH = web.AppKey("action_server_watch", ActionServerWatch)


async def undo_turn(app: web.Application, sender: str) -> None:
    """Undo the last user message of `sender` in Rasa's tracker (best effort).

    A turn in which the active form ran is left as it is: the form's failed
    run changed no slot, and Rasa folds a form's runs together, so a `rewind`
    there would undo the form's start as well. The form simply asks again.
    """
    rasa = app[RASA_CLIENT]
    try:
        tracker = await rasa.tracker(sender, include_events="AFTER_RESTART")
        if tracker is None or _active_loop_ran_last(tracker):
            return
        # As after Rasa's own fallback: undo the message, then listen again.
        await rasa.append_events(
            sender, [{"event": "rewind"}, {"event": "action", "name": "action_listen"}]
        )
    except RasaUnavailable as exc:
        log.warning("could not rewind a failed turn: %s", exc)


def _active_loop_ran_last(tracker: dict[str, object]) -> bool:
    """True when the active loop (a form) ran after the latest user message."""
    loop = tracker.get("active_loop")
    name = loop.get("name") if isinstance(loop, dict) else None
    events = tracker.get("events")
    if not name or not isinstance(events, list):
        return False
    for event in reversed(events):
        if not isinstance(event, dict) or event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == name:
            return True
    return False


async def _watch(app: web.Application) -> AsyncIterator[None]:
    app[ACTION_SERVER_WATCH] = ActionServerWatch(app[HTTP_SESSION], app[SETTINGS].action_server_url)
    yield


def setup(app: web.Application) -> None:
    """Keep the action server's state (needs the HTTP session, so after `_http_clients`)."""
    app.cleanup_ctx.append(_watch)
