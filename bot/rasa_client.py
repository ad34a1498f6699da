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

__all__ = ["MALFORM_HEADER", "SENDER_HEADER", "TURN_MALFORM", "RasaClient", "RasaUnavailable"]

# In the cluster (medverk/cluster.py) HAProxy hashes this header: one conversation, one engine.
SENDER_HEADER = "X-Medverk-Sender"
# The engine's channel (rasa_addons/gateway_channel.py) answers with the målform slot as
# saved by the turn: "nn", "nb" or "" (not set). Saves the gateway asking for the tracker.
MALFORM_HEADER = "X-Medverk-Malform"
# What the last `send` of this task learnt: the slot, or None when the answer had no header.
TURN_MALFORM: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "turn_malform", default=None
)


class RasaUnavailable(ConnectionError):
    """The Rasa engine did not answer (down, starting, or failed)."""


class RasaClient:
    """Sends user messages to Rasa's REST webhook and reads or changes its trackers."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        timeout: float = 30,
        channel_token: str = "",
        api_token: str = "",
    ) -> None:
        self._session = session
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
            async with self._session.post(
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
