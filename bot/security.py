"""Security headers on every response the gateway sends.

The gateway's own pages (demo page, privacy page, officer app) run under a
strict Content-Security-Policy: scripts, styles, images and requests only from
the gateway itself, no inline code, no framing. A handler that needs another
value for one response sets that header itself; `setup` only fills in what is
missing (e.g. the widget's script sets `Cross-Origin-Resource-Policy:
cross-origin` so municipalities' sites may load it).
"""

from __future__ import annotations

from aiohttp import web

from bot.keys import SETTINGS

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "setup"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# One year, as the HSTS preload list asks; only sent over HTTPS (RFC 6797 § 7.2).
_HSTS = "max-age=31536000; includeSubDomains"

_INSTALLED = web.AppKey("security_headers_installed", bool)


async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    # No product or version banner (F18); aiohttp would add "Python/3.10 aiohttp/x.y".
    response.headers["Server"] = "Medverk"
    if _is_https(request):
        response.headers.setdefault("Strict-Transport-Security", _HSTS)


def _is_https(request: web.Request) -> bool:
    """Direct TLS, an https public URL, or X-Forwarded-Proto from our own proxy (F9)."""
    if request.secure:
        return True
    settings = request.config_dict.get(SETTINGS)
    if settings is None:
        return False
    if settings.public_url.startswith("https://"):
        return True
    if settings.trusted_proxy_hops > 0:
        return request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip() == "https"
    return False


def setup(app: web.Application) -> None:
    """Add the security headers to every response of `app` (safe to call twice)."""
    if app.get(_INSTALLED):
        return
    app[_INSTALLED] = True
    app.on_response_prepare.append(_add_security_headers)
