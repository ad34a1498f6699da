"""Rasa's REST channel, open only to the gateway (F3).

Rasa's stock `rest` channel takes a message for any sender id from anyone who
can reach the port; `--auth-token` protects only the HTTP API. This channel has
the same name and URL (`/webhooks/rest/webhook`) and the same replies, but every
request must carry the gateway's secret header `X-Medverk-Gateway-Token`
(`MEDVERK_RASA_CHANNEL_TOKEN` in Rasa's environment, compared in constant time).
Without a configured token it refuses everything. credentials.yml names it.

One more difference: Rasa's channel answers HTTP 200 with no messages when the turn
failed before it ran (the Redis lock store or the tracker store unreachable), which
the gateway cannot tell from a turn with nothing to say. Here such a turn answers
503, so the gateway gives the person its "try again in a minute" message and the
text is sent again, not lost (the failed turn saved nothing).
"""

from __future__ import annotations

import contextvars
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from medverk.internal_auth import CHANNEL_TOKEN_ENV, CHANNEL_TOKEN_HEADER, token_matches

__all__ = ["GatewayInput"]

log = logging.getLogger(__name__)

# Per request: the failures of the turn (a list, so the handler's appends reach the middleware).
_FAILURES: contextvars.ContextVar[list[BaseException]] = contextvars.ContextVar("failures")


class GatewayInput(RestInput):
    """The REST channel with the gateway's token checked on every request."""

    def __init__(self, token: str = "") -> None:
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GatewayInput:
        return cls(token=os.environ.get(CHANNEL_TOKEN_ENV, ""))

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except Exception as exc:
                _FAILURES.get([]).append(exc)
                raise

        webhook = super().blueprint(handle)

        @webhook.middleware("request")
        async def require_gateway(request: Request) -> HTTPResponse | None:
            if token_matches(request.headers.get(CHANNEL_TOKEN_HEADER), self.token):
                _FAILURES.set([])
                return None
            return response.json({"error": "forbidden"}, status=403)

        @webhook.middleware("response")
        async def failed_turn(_request: Request, _response: HTTPResponse) -> HTTPResponse | None:
            failures = _FAILURES.get([])
            if not failures:
                return None
            log.warning("the turn failed before it ran: %s", type(failures[0]).__name__)
            return response.json({"error": "turn_failed"}, status=503)

        return webhook
