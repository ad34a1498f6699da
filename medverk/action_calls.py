"""What a Rasa engine's call to the action server costs (rasa env; installed by the launcher).

Two changes to how Rasa 3.6 calls the action server, neither changing what an action
gets to work with:

- `install_action_domain_trim`: the domain sent with a call (only to the actions that
  read it: `validate_*` and those marked `send_domain`, see `enable_selective_domain` in
  endpoints.yml) leaves out `responses`, nine tenths of its 64 kB. Actions send responses
  by name (`dispatcher.utter_message(response=...)`) and the engine renders them; the
  action server never reads their texts. The trimmed domain is built once per loaded
  domain instead of once per call.
- `install_action_keep_alive`: Rasa opens a new `aiohttp.ClientSession` (and with it a
  new TCP connection) for every request to an endpoint. One session per endpoint and
  event loop is kept instead, so calls reuse connections. Idle connections are dropped
  after `KEEP_ALIVE_SECONDS`, before the action server's Sanic closes them (5 s), so a
  call never goes out on a connection the server is closing.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = [
    "KEEP_ALIVE_SECONDS",
    "action_domain",
    "close_kept_session",
    "install_action_domain_trim",
    "install_action_keep_alive",
]

KEEP_ALIVE_SECONDS = 2.0
_TRIMMED = "_medverk_action_domain"
_SESSION = "_medverk_session"


def action_domain(domain: Any) -> dict[str, Any]:
    """The domain as the action server gets it: everything but the response texts."""
    trimmed: dict[str, Any] | None = domain.__dict__.get(_TRIMMED)
    if trimmed is None:
        trimmed = {key: value for key, value in domain.as_dict().items() if key != "responses"}
        domain.__dict__[_TRIMMED] = trimmed
    return trimmed


def install_action_domain_trim() -> None:
    """Action calls that carry the domain carry it without `responses`."""
    from rasa.core.actions.action import RemoteAction

    build = RemoteAction._action_call_format

    def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        # Rasa decides whether the domain goes along; only what goes is changed.
        call: dict[str, Any] = build(self, tracker, _NoDomainDict(domain))
        if "domain" in call:
            call["domain"] = action_domain(domain)
        return call

    RemoteAction._action_call_format = action_call_format


class _NoDomainDict:
    """The domain, except that `as_dict` (built by Rasa on every call) is not built."""

    def __init__(self, domain: Any) -> None:
        self._domain = domain

    def as_dict(self) -> dict[str, Any]:
        return {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._domain, name)


class _KeptSession:
    """`async with` a kept session: entering gives it, leaving does not close it."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def install_action_keep_alive(keep_alive_seconds: float = KEEP_ALIVE_SECONDS) -> None:
    """`EndpointConfig.session()` hands out one kept session per endpoint and event loop."""
    import aiohttp
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.utils.endpoints import EndpointConfig

    def session(self: EndpointConfig) -> Any:
        loop = asyncio.get_running_loop()
        kept = self.__dict__.get(_SESSION)
        if kept is None or kept[0] is not loop or kept[1].closed:
            # Rasa's session (same headers, auth and timeout) on a connector that keeps
            # connections open between calls.
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            kept = (
                loop,
                aiohttp.ClientSession(
                    headers=self.headers,
                    auth=auth,
                    timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                    connector=aiohttp.TCPConnector(keepalive_timeout=keep_alive_seconds),
                ),
            )
            self.__dict__[_SESSION] = kept
        return _KeptSession(kept[1])

    EndpointConfig.session = session


async def close_kept_session(endpoint: Any) -> None:
    """Close the session kept for `endpoint` in this event loop (before the loop ends)."""
    kept = endpoint.__dict__.pop(_SESSION, None)
    if kept is not None and kept[0] is asyncio.get_running_loop():
        await kept[1].close()
