"""The client's address when the gateway runs behind trusted reverse proxies."""

from __future__ import annotations

from aiohttp import web

from bot.keys import SETTINGS

__all__ = ["client_ip"]


def client_ip(request: web.Request) -> str:
    """The visitor's address; behind N trusted proxies, the one the outermost proxy saw."""
    hops = request.config_dict[SETTINGS].trusted_proxy_hops
    if hops > 0:
        # Each proxy appends the address it got the request from; entries further
        # left than our own proxies wrote are set by the client and not trusted.
        forwarded = [
            part.strip()
            for header in request.headers.getall("X-Forwarded-For", [])
            for part in header.split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote or "unknown"
