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

And one addition: the answer carries the conversation's målform slot as saved at the end
of the turn, in the header `X-Medverk-Malform` ("nn", "nb", or empty when the slot is
not set). The gateway used to ask for it with a second request (`GET .../tracker`),
which made the engine load and replay the whole conversation from the tracker store a
second time every turn (a third of the engine's time on a long conversation,
docs/performance.md). A gateway that gets no header still asks.
"""

from __future__ import annotations

import contextvars
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from medverk.internal_auth import CHANNEL_TOKEN_ENV, CHANNEL_TOKEN_HEADER, token_matches

__all__ = ["MALFORM_HEADER", "GatewayInput", "install_saved_malform_note"]

# Same name as bot.rasa_client.MALFORM_HEADER (the Rasa env has no gateway packages).
MALFORM_HEADER = "X-Medverk-Malform"

log = logging.getLogger(__name__)

# Per request: the failures of the turn (a list, so the handler's appends reach the middleware).
_FAILURES: contextvars.ContextVar[list[BaseException]] = contextvars.ContextVar("failures")
# Per request: the målform slot of each tracker the turn saved (the last one counts).
_SAVED_MALFORMS: contextvars.ContextVar[list[str]] = contextvars.ContextVar("saved_malforms")


def install_saved_malform_note() -> None:
    """Note the målform slot of every tracker Rasa saves during a channel request."""
    save_tracker = MessageProcessor.save_tracker
    if getattr(save_tracker, "notes_malform", False):
        return

    async def save_and_note(self: MessageProcessor, tracker: DialogueStateTracker) -> None:
        await save_tracker(self, tracker)
        saved = _SAVED_MALFORMS.get(None)
        if saved is not None:
            value = tracker.get_slot("malform")
            saved.append(value if value in ("nn", "nb") else "")

    save_and_note.notes_malform = True  # type: ignore[attr-defined]
    MessageProcessor.save_tracker = save_and_note  # type: ignore[method-assign]


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
        install_saved_malform_note()

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
                _SAVED_MALFORMS.set([])
                return None
            return response.json({"error": "forbidden"}, status=403)

        @webhook.middleware("response")
        async def failed_turn(_request: Request, answer: HTTPResponse) -> HTTPResponse | None:
            failures = _FAILURES.get([])
            if not failures:
                saved = _SAVED_MALFORMS.get([])
                if saved:
                    answer.headers[MALFORM_HEADER] = saved[-1]
                return None
            log.warning("the turn failed before it ran: %s", type(failures[0]).__name__)
            return response.json({"error": "turn_failed"}, status=503)

        return webhook
