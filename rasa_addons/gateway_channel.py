"""Rasa's REST channel, open only to the gateway (F3).

Rasa's stock `rest` channel takes a message for any sender id from anyone who
can reach the port; `--auth-token` protects only the HTTP API. This channel has
the same name and URL (`/webhooks/rest/webhook`) and the same replies, but every
request must carry the gateway's secret header `X-Medverk-Gateway-Token`
(`MEDVERK_RASA_CHANNEL_TOKEN` in Rasa's environment, compared in constant time).
Without a configured token it refuses everything. credentials.yml names it.
"""

from __future__ import annotations

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
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_gateway(request: Request) -> HTTPResponse | None:
            if token_matches(request.headers.get(CHANNEL_TOKEN_HEADER), self.token):
                return None
            return response.json({"error": "forbidden"}, status=403)

        return webhook
