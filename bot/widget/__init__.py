"""The web chat widget: its script and styles, the demo page at `/`, and the
privacy page the widget links to (`/personvern`).

`widget.js` is served with its configuration (labels in both målformer from
`data/knowledge/widget.yml`) filled in, so embedding it costs one request and
needs no inline script. Assets are built once at start-up, gzipped once, and
served with an ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot import security
from bot.chat_api import MAX_MESSAGE_CHARS
from bot.effective import effective
from bot.keys import SETTINGS
from medverk.admin_settings import Effective
from medverk.settings import Settings
from medverk.texts.loader import MALFORMS, TextsError, fill, read_text_file, require_both

__all__ = ["Asset", "WidgetTexts", "build_widget_script", "load_texts", "setup"]

WIDGET_DIR = Path(__file__).resolve().parent
_CONFIG_MARKER = "/*MEDVERK_CONFIG*/ null"
PRIVACY_PATH = "/personvern"


@dataclass(frozen=True)
class Asset:
    """A static file held in memory, plain and gzipped, with its ETag."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> Asset:
        digest = hashlib.sha256(body).hexdigest()[:20]
        return cls(body, gzip.compress(body, 9, mtime=0), content_type, f'"{digest}"')


@dataclass(frozen=True)
class WidgetTexts:
    """The widget's labels and starters, and the demo page's texts, per målform."""

    labels: dict[str, dict[str, str]]
    starters: dict[str, list[str]]
    demo: dict[str, dict[str, Any]]
    privacy: dict[str, dict[str, Any]]


def load_texts(path: Path) -> WidgetTexts:
    """Read `widget.yml` (via `medverk.texts.loader`); every label needs both målformer."""
    data = read_text_file(path)
    labels: dict[str, dict[str, str]] = {malform: {} for malform in MALFORMS}
    for key, variants in data["labels"].items():
        both = require_both(variants, f"{path}: label {key!r}")
        for malform in MALFORMS:
            labels[malform][key] = both[malform]
    starters = {m: [str(s) for s in data.get("starters", {}).get(m, [])] for m in MALFORMS}
    pages = {}
    for section in ("demo", "privacy_page"):
        pages[section] = {m: dict(data.get(section, {}).get(m, {})) for m in MALFORMS}
        if set(pages[section]["nn"]) != set(pages[section]["nb"]):
            raise TextsError(f"{path}: {section} differs in keys between nn and nb")
    return WidgetTexts(
        labels=labels, starters=starters, demo=pages["demo"], privacy=pages["privacy_page"]
    )


def build_widget_script(source: str, texts: WidgetTexts, default_malform: str) -> str:
    """widget.js with its configuration filled in."""
    config = {
        "labels": texts.labels,
        "starters": texts.starters,
        "defaultMalform": default_malform,
        "maxChars": MAX_MESSAGE_CHARS,
        "privacyUrl": PRIVACY_PATH,
    }
    # "<" escaped so the script stays safe even if someone pastes it into HTML.
    literal = json.dumps(config, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    if source.count(_CONFIG_MARKER) != 1:
        raise ValueError("widget.js must contain the configuration marker exactly once")
    return source.replace(_CONFIG_MARKER, literal)


def municipality(cases_dir: Path) -> tuple[str, str]:
    """The municipality's name and sample notice, as the case data gives them."""
    for path in sorted(cases_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("kommune"), str):
            note = data.get("merknad") if data.get("sample") else ""
            return data["kommune"], str(note or "")
    return "", ""


def _serve(asset: Asset, *, cross_origin: bool) -> web.Handler:
    async def handler(request: web.Request) -> web.Response:
        headers = {
            "ETag": asset.etag,
            # Short: a municipality's edited labels reach visitors within minutes.
            "Cache-Control": "public, max-age=300",
            "Vary": "Accept-Encoding",
        }
        if cross_origin:
            # Other sites embed the widget; their pages must be allowed to load it.
            headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        if asset.etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        body = asset.body
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return web.Response(
            body=body, content_type=asset.content_type, charset="utf-8", headers=headers
        )

    return handler


_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(WIDGET_DIR / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _page_malform(request: web.Request) -> str:
    default = effective(request.app).default_malform
    malform = request.query.get("malform", default)
    return malform if malform in MALFORMS else default


def _contact(current: Effective) -> str:
    parts = (current.contact_name, current.contact_email, current.contact_phone)
    return ", ".join(part for part in parts if part)


def _privacy_handler(settings: Settings, texts: WidgetTexts) -> web.Handler:
    template = _TEMPLATES.get_template("privacy.html")
    name, _ = municipality(settings.cases_dir)

    async def privacy(request: web.Request) -> web.Response:
        """What the chat stores, where, and for how long (linked from the widget)."""
        # Contact and retention can change in the officer app while we run.
        current = effective(request.app)
        contact = _contact(current)
        malform = _page_malform(request)
        page = texts.privacy[malform]
        paragraphs = [
            fill(str(text), retention_days=current.retention_days, contact=contact)
            for text in page.get("paragraphs", [])
            if contact or "{contact}" not in str(text)
        ]
        html = template.render(
            malform=malform,
            other="nb" if malform == "nn" else "nn",
            other_name=texts.demo["nb" if malform == "nn" else "nn"]["language_link"],
            municipality=name,
            page=page,
            paragraphs=paragraphs,
            privacy_url=PRIVACY_PATH,
        )
        return web.Response(
            text=html, content_type="text/html", headers={"Cache-Control": "no-cache"}
        )

    return privacy


def _demo_handler(settings: Settings, texts: WidgetTexts) -> web.Handler:
    template = _TEMPLATES.get_template("demo.html")
    name, note = municipality(settings.cases_dir)

    async def demo(request: web.Request) -> web.Response:
        """A municipality's page (fictional, from the sample data) with the widget on it."""
        malform = _page_malform(request)
        html = template.render(
            malform=malform,
            other="nb" if malform == "nn" else "nn",
            municipality=name,
            sample_note=note,
            t=texts.demo[malform],
            privacy_url=PRIVACY_PATH,
        )
        return web.Response(
            text=html, content_type="text/html", headers={"Cache-Control": "no-cache"}
        )

    return demo


def setup(app: web.Application) -> None:
    """Serve /widget.js, /widget.css, the demo page (/), the privacy page and their styles."""
    security.setup(app)
    settings = app[SETTINGS]
    texts = load_texts(settings.knowledge_dir / "widget.yml")
    source = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    # One script per målform: an admin may change the default while we run.
    scripts = {
        malform: _serve(
            Asset.of(build_widget_script(source, texts, malform).encode(), "text/javascript"),
            cross_origin=True,
        )
        for malform in MALFORMS
    }

    async def widget_script(request: web.Request) -> web.StreamResponse:
        """widget.js, configured with the municipality's målform in force."""
        return await scripts[effective(request.app).default_malform](request)

    app.router.add_get("/widget.js", widget_script)
    widget_css = Asset.of((WIDGET_DIR / "widget.css").read_bytes(), "text/css")
    app.router.add_get("/widget.css", _serve(widget_css, cross_origin=True))
    demo_css = Asset.of((WIDGET_DIR / "demo.css").read_bytes(), "text/css")
    app.router.add_get("/demo.css", _serve(demo_css, cross_origin=False))
    app.router.add_get("/", _demo_handler(settings, texts), name="demo")
    app.router.add_get(PRIVACY_PATH, _privacy_handler(settings, texts), name="privacy")
