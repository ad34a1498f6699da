"""Client for the Rasa engine (loopback only): the one place that knows Rasa's URLs and tokens.

- the REST channel (`send`, with the channel token and the sender header HAProxy hashes);
- Rasa's token-protected HTTP API: a conversation's tracker and slots, appending events,
  parsing a text with the trained model;
- whether a model is loaded (`is_ready`).

Errors: `RasaUnavailable` (a `ConnectionError`) when Rasa cannot be reached or
answers with an error; callers turn it into a kind message for the citizen.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import aiohttp

from medverk.internal_auth import CHANNEL_TOKEN_HEADER

__all__ = [
    "MALFORM_HEADER",
    "SENDER_HEADER",
    "TURN_KEEP_ALIVE_SECONDS",
    "TURN_MALFORM",
    "RasaClient",
    "RasaUnavailable",
    "turn_session",
]

# In the cluster (medverk/cluster.py) HAProxy hashes this header: one conversation, one engine.
SENDER_HEADER = "X-Medverk-Sender"
# The engine's channel (rasa_addons/gateway_channel.py) answers with the målform slot as
# saved by the turn: "nn", "nb" or "" (not set). Saves the gateway asking for the tracker.
MALFORM_HEADER = "X-Medverk-Malform"
# What the last `send` of this task learnt: the slot, or None when the answer had no header.
TURN_MALFORM: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "turn_malform", default=None
)

# How long an idle connection of the turn pool is kept (aiohttp's default: 15 s), so the
# pool a class filled is still there for its next burst. Rasa keeps one 120 s (its
# keep_alive_timeout) and the cluster's HAProxy 30 s (medverk/cluster.py), so the gateway
# always lets go first and never sends a turn on a connection the other side is closing.
TURN_KEEP_ALIVE_SECONDS = 25.0


class RasaUnavailable(ConnectionError):
    """The Rasa engine did not answer (down, starting, or failed)."""


def turn_session(turns_in_flight: int) -> aiohttp.ClientSession:
    """The session for turns: at most `turns_in_flight` connections, kept open between turns.

    The engine's server (Sanic on uvloop) accepts one new connection per event-loop
    iteration (the libuv in uvloop 0.23, libuv/libuv#3696), and under load an iteration
    runs every ready turn, a quarter of a second. Each new connection to a busy engine
    waited that long behind the one before it: when 50 more users came to a running
    engine, the last new conversation waited up to 16 s for its first answer. A bounded pool
    needs new connections only below the bound (the engine is idle then); above it a
    turn waits in the gateway, first come first served, for a kept connection. The engine
    runs one turn at a time on one core, so more than a few turns at once in it only make
    each slower; the waiting time counts in the turn's timeout.
    """
    if turns_in_flight < 1:
        raise ValueError("turns_in_flight must be at least 1")
    connector = aiohttp.TCPConnector(
        limit=turns_in_flight, keepalive_timeout=TURN_KEEP_ALIVE_SECONDS
    )
    return aiohttp.ClientSession(connector=connector)


class RasaClient:
    """Sends user messages to Rasa's REST webhook and reads or changes its trackers.

    Turns (`send`) go over `turns` (default: `session`; the gateway gives it a bounded
    `turn_session`), everything else over `session`, so a health check or a tracker
    lookup never waits behind a queue of turns.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        timeout: float = 30,
        channel_token: str = "",
        api_token: str = "",
        turns: aiohttp.ClientSession | None = None,
    ) -> None:
        self._session = session
        self._turns = session if turns is None else turns
        # Rasa's HTTP API (trackers, parse) wants this token as a query parameter.
        self._api_token = api_token
        # Rasa's REST channel answers only the gateway (rasa_addons/gateway_channel.py).
        self._headers = {CHANNEL_TOKEN_HEADER: channel_token} if channel_token else {}
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(
        self,
        sender: str,
        message: str,
        metadata: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        """POST to /webhooks/rest/webhook; the raw Rasa messages, in order.

        `timeout` (seconds) replaces the client's own for this turn. Sets `TURN_MALFORM`
        from the answer's `X-Medverk-Malform` header.
        """
        TURN_MALFORM.set(None)
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            async with self._turns.post(
                f"{self._base_url}/webhooks/rest/webhook",
                json=body,
                headers={**self._headers, SENDER_HEADER: sender},
                timeout=self._timeout if timeout is None else aiohttp.ClientTimeout(total=timeout),
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                data = await response.json()
                malform = response.headers.get(MALFORM_HEADER)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
        if not isinstance(data, list):
            raise RasaUnavailable("Rasa answered something that is not a list")
        if malform in ("nn", "nb", ""):
            TURN_MALFORM.set(malform)
        return [item for item in data if isinstance(item, dict)]

    async def is_ready(self) -> bool:
        """True when Rasa has a model loaded (GET /status needs the API; / does not)."""
        try:
            async with self._session.get(
                f"{self._base_url}/", timeout=aiohttp.ClientTimeout(total=3)
            ) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def tracker(
        self, sender: str, include_events: str = "NONE", timeout: float = 2
    ) -> dict[str, Any] | None:
        """The conversation's tracker (GET /conversations/{sender}/tracker); None when Rasa
        answers with an error status or something that is not an object."""
        return await self._api(
            "GET", self._tracker_url(sender), timeout, params={"include_events": include_events}
        )

    async def slot(self, sender: str, name: str, timeout: float = 2) -> Any:
        """The value of slot `name` in the conversation (None when unset or unknown)."""
        tracker = await self.tracker(sender, timeout=timeout)
        return (tracker.get("slots") or {}).get(name) if tracker is not None else None

    async def append_events(
        self, sender: str, events: Sequence[dict[str, Any]], timeout: float = 2
    ) -> None:
        """Append `events` to the conversation (POST .../tracker/events)."""
        await self._api(
            "POST",
            f"{self._tracker_url(sender)}/events",
            timeout,
            params={"include_events": "NONE"},
            json=list(events),
            must_succeed=True,
        )

    async def parse(self, text: str, timeout: float = 10) -> dict[str, Any] | None:
        """What the trained model makes of `text` (POST /model/parse); None when Rasa answers
        with an error status or something that is not an object."""
        return await self._api(
            "POST",
            f"{self._base_url}/model/parse",
            timeout,
            data=json.dumps({"text": text}),
            headers={"Content-Type": "application/json"},
        )

    async def _api(
        self,
        method: str,
        url: str,
        timeout: float,
        params: dict[str, str] | None = None,
        must_succeed: bool = False,
        **request: Any,
    ) -> dict[str, Any] | None:
        """One call to Rasa's token-protected API: its JSON object, or None (error status, or
        not an object). `must_succeed`: an error status raises instead, and the body is not
        read."""
        try:
            async with self._session.request(
                method,
                url,
                params={**(params or {}), "token": self._api_token},
                timeout=aiohttp.ClientTimeout(total=timeout),
                **request,
            ) as response:
                if must_succeed:
                    if response.status != 200:
                        raise RasaUnavailable(f"Rasa answered {response.status}")
                    return None
                if response.status != 200:
                    return None
                body = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
        return body if isinstance(body, dict) else None

    def _tracker_url(self, sender: str) -> str:
        return f"{self._base_url}/conversations/{quote(sender, safe='')}/tracker"
