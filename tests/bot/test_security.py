"""Security headers on every response of the gateway."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot import security


def _app() -> web.Application:
    app = web.Application()
    security.setup(app)
    security.setup(app)  # twice: still one set of headers

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<p>hei</p>", content_type="text/html")

    async def embeddable(request: web.Request) -> web.Response:
        return web.Response(text="x", headers={"Cross-Origin-Resource-Policy": "cross-origin"})

    app.router.add_get("/", page)
    app.router.add_get("/embed", embeddable)
    return app


async def test_pages_get_a_strict_csp_and_the_other_headers(aiohttp_client: Any) -> None:
    """No inline script or style, no framing, no sniffing, same-origin everything."""
    client = await aiohttp_client(_app())
    response = await client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in tests
    assert len(response.headers.getall("Content-Security-Policy")) == 1


async def test_errors_get_the_headers_too(aiohttp_client: Any) -> None:
    """A 404 page is a page of ours as well."""
    client = await aiohttp_client(_app())
    response = await client.get("/nowhere")
    assert response.status == 404
    assert "Content-Security-Policy" in response.headers


async def test_a_handler_may_set_its_own_value(aiohttp_client: Any) -> None:
    """A handler's own header wins over the default."""
    client = await aiohttp_client(_app())
    response = await client.get("/embed")
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
