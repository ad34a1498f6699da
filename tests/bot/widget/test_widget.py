"""The widget's assets, labels, demo page and privacy page, as the gateway serves them."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.widget import build_widget_script, load_texts
from medverk.settings import PROJECT_ROOT, Settings, load_settings

WIDGET_YML = PROJECT_ROOT / "data" / "knowledge" / "widget.yml"
# Words that give the other målform away; a label in nn must not use the nb form and so on.
BOKMAL_ONLY = re.compile(r"\b(ikke|hva|hvordan|hvilke|meldingen|noe|nå|jeg|mening|skriver)\b")
NYNORSK_ONLY = re.compile(r"\b(ikkje|kva|korleis|kva for|meldinga|noko|no|eg|meininga|skriv …)\b")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Gateway settings with a throw-away var dir (no Rasa needed for these pages)."""
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    return dataclasses.replace(
        load_settings(),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        default_malform="nn",
        contact_name="",
        contact_email="",
        contact_phone="",
    )


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> TestClient:
    """A client of the real gateway."""
    return await aiohttp_client(create_app(settings))


def _config(script: str) -> dict[str, Any]:
    match = re.search(r"var CONFIG = (\{.*?\});\n", script)
    assert match, "widget.js has no filled-in configuration"
    return json.loads(match.group(1))


def test_every_label_exists_in_both_malformer_in_the_right_one() -> None:
    """Labels are written in real Nynorsk and real Bokmål, not mixed."""
    texts = load_texts(WIDGET_YML)
    assert set(texts.labels["nn"]) == set(texts.labels["nb"])
    for key, text in texts.labels["nn"].items():
        assert not BOKMAL_ONLY.search(text.lower()), f"nn label {key!r} reads as Bokmål: {text}"
    for key, text in texts.labels["nb"].items():
        assert not NYNORSK_ONLY.search(text.lower()), f"nb label {key!r} reads as Nynorsk: {text}"
    assert texts.starters["nn"] and len(texts.starters["nn"]) == len(texts.starters["nb"])


def test_a_label_missing_in_one_malform_is_refused(tmp_path: Path) -> None:
    """The gateway does not start with a half-translated widget."""
    path = tmp_path / "widget.yml"
    path.write_text('labels:\n  send:\n    nn: "Send"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="nb"):
        load_texts(path)


def test_the_script_needs_its_configuration_marker() -> None:
    """A widget.js without the marker is a build error, not a silent empty widget."""
    with pytest.raises(ValueError, match="marker"):
        build_widget_script("(function(){})();", load_texts(WIDGET_YML), "nn")


async def test_widget_js_is_served_with_labels_filled_in(client: TestClient) -> None:
    """One request gives the script with both målformer's labels; others may embed it."""
    response = await client.get("/widget.js")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    script = await response.text()
    assert "/*MEDVERK_CONFIG*/" not in script
    config = _config(script)
    assert config["labels"]["nn"]["send"] == "Send"
    assert config["labels"]["nb"]["message_label"] == "Skriv meldingen din"
    assert config["defaultMalform"] == "nn"
    assert config["privacyUrl"] == "/personvern"
    # Plain script: no imports of anything, no eval, nothing from elsewhere.
    assert "import(" not in script
    assert "eval(" not in script
    assert not re.search(r"https?://(?!<gateway>)", script.split("*/", 1)[1])


async def test_assets_are_gzipped_small_and_cacheable(client: TestClient) -> None:
    """gzip on request, an ETag, 304 when unchanged; the whole widget stays small."""
    total = 0
    for path in ("/widget.js", "/widget.css"):
        plain = await (await client.get(path, headers={"Accept-Encoding": "identity"})).read()
        response = await client.get(
            path, headers={"Accept-Encoding": "gzip"}, auto_decompress=False
        )
        assert response.headers["Content-Encoding"] == "gzip"
        compressed = await response.read()
        assert gzip.decompress(compressed) == plain
        total += len(compressed)
        etag = response.headers["ETag"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status == 304
    assert total < 12_000, f"widget.js + widget.css are {total} bytes gzipped"


async def test_demo_page_has_no_inline_code_and_a_strict_csp(client: TestClient) -> None:
    """The demo page loads the widget by the one embed line, under a strict CSP."""
    response = await client.get("/")
    assert response.status == 200
    html = await response.text()
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts == [""], "only the embed line, with no inline code"
    assert '<script src="/widget.js" defer data-malform="nn"></script>' in html
    assert " style=" not in html and "<style" not in html
    assert re.search(r"\son[a-z]+=", html) is None


async def test_demo_page_names_the_municipality_from_the_case_data(
    client: TestClient, settings: Settings
) -> None:
    """The municipality's name and sample notice come from the case files, not from code."""
    case_file = json.loads(next(settings.cases_dir.glob("*.json")).read_text(encoding="utf-8"))
    html = await (await client.get("/")).text()
    assert case_file["kommune"] in html
    assert case_file["merknad"] in html


async def test_demo_page_follows_the_requested_malform(client: TestClient) -> None:
    """?malform=nb gives a Bokmål page and a Bokmål widget; nonsense falls back."""
    html = await (await client.get("/?malform=nb")).text()
    assert '<html lang="nb">' in html
    assert 'data-malform="nb"' in html
    assert "Si hva du mener om saker i kommunen" in html
    fallback = await (await client.get("/?malform=<x>")).text()
    assert '<html lang="nn">' in fallback
    assert "<x>" not in fallback


async def test_privacy_page_states_the_configured_retention(
    client: TestClient, settings: Settings
) -> None:
    """The privacy page uses the configured retention and the contact the assistant
    offers (contact.yml's, when the environment names none)."""
    html = await (await client.get("/personvern")).text()
    assert f"{settings.retention_days} dagar" in html
    assert "{contact}" not in html
    assert "Spørsmål om personvern: Ungdomskontakten i Eksempelvik kommune" in html
    nb = await (await client.get("/personvern?malform=nb")).text()
    assert f"{settings.retention_days} dager" in nb


async def test_privacy_page_leaves_out_a_missing_contact(
    settings: Settings, aiohttp_client: Any, tmp_path: Path
) -> None:
    """With no contact anywhere, the paragraph that would name one is left out."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(settings.knowledge_dir, knowledge)
    contact = (knowledge / "contact.yml").read_text(encoding="utf-8")
    contact = re.sub(r'(?m)^(name|email): ".*"$', r'\1: ""', contact)
    (knowledge / "contact.yml").write_text(contact, encoding="utf-8")
    client = await aiohttp_client(
        create_app(dataclasses.replace(settings, knowledge_dir=knowledge))
    )
    html = await (await client.get("/personvern")).text()
    assert "{contact}" not in html and "Spørsmål om personvern" not in html


async def test_privacy_page_names_the_contact_when_configured(
    settings: Settings, aiohttp_client: Any
) -> None:
    """A configured contact person is shown (escaped)."""
    configured = dataclasses.replace(
        settings, contact_name="Personvernombodet <PVO>", contact_email="pvo@eksempelvik.example"
    )
    client = await aiohttp_client(create_app(configured))
    html = await (await client.get("/personvern")).text()
    assert "Personvernombodet &lt;PVO&gt;, pvo@eksempelvik.example" in html
