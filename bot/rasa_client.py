"""Client for the Rasa engine's REST channel (loopback only).

Errors: `RasaUnavailable` (a `ConnectionError`) when Rasa cannot be reached or
answers with an error; callers turn it into a kind message for the citizen.
"""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

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
    """Sends one user message to Rasa's REST webhook and returns its replies."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        timeout: float = 30,
        channel_token: str = "",
    ) -> None:
        self._session = session
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
