"""Regression tests for the low and info findings of the December security review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.chat_api import SENDER_PATTERN, ChatError, clean_message
from medverk.identity import rasa_sender_id
from medverk.store.models import AuditEvent
from tests.bot.officer.support import LoggedIn, OfficerClient


def test_a_sender_id_with_a_trailing_newline_is_refused() -> None:
    """F17: `$` matched before a final newline, giving a second conversation."""
    assert SENDER_PATTERN.match("oddaaaaaaaaaa") is not None
    assert SENDER_PATTERN.match("oddaaaaaaaaaa\n") is None
    with pytest.raises(ValueError):
        rasa_sender_id("web", "oddaaaaaaaaaa\n", "secret")


def test_lone_surrogates_are_refused_and_payloads_stay_on_one_line() -> None:
    """F15: text Rasa cannot encode is refused; a newline cannot forge a Rasa log line."""
    with pytest.raises(ChatError):
        clean_message("Eg meiner bussen er viktig \ud800 for alle")
    forged = "/greet{bad\n2026-12-02 01:00:00 ERROR rasa.core: FORGED officer kari logged in}"
    assert "\n" not in clean_message(forged)


async def test_deeply_nested_json_is_a_400_not_a_500(officer_client: OfficerClient) -> None:
    """F13: RecursionError in the JSON parser."""
    body = '{"sender": "abcdefghijkl", "x": ' + "[" * 20000 + "]" * 20000 + "}"
    response = await officer_client.client.post(
        "/api/chat", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400


async def test_huge_ids_are_404_not_500(logged_in: LoggedIn) -> None:
    """F13: a 22-digit id overflowed SQLite's INTEGER."""
    client = await logged_in("kari")
    response = await client.client.get("/officer/inputs/9999999999999999999999")
    assert response.status == 404
    token = await client.csrf()
    response = await client.client.post(
        "/officer/admin/officers/9999999999999999999999/disable",
        data={"csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 404


async def test_a_password_typed_as_username_is_not_audited(officer_client: OfficerClient) -> None:
    """F19: the failed-login event names the account only when it exists."""
    await officer_client.login("MyS3cretPassw0rd!", "feil passord heilt")
    await officer_client.login("ola", "feil passord heilt")
    async with officer_client.sessionmaker() as db:
        names = (await db.scalars(select(AuditEvent.officer_username))).all()
    assert "mys3cretpassw0rd!" not in names
    assert "(unknown)" in names and "ola" in names


async def test_no_server_banner_and_hsts_behind_a_tls_proxy(
    officer_client: OfficerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F18: no aiohttp/Python version; F9: HSTS when our proxy says the browser used https."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app
    from medverk.settings import load_settings

    plain = await officer_client.client.get("/officer/login")
    assert "aiohttp" not in plain.headers.get("Server", "")
    assert "Strict-Transport-Security" not in plain.headers
    monkeypatch.setenv("MEDVERK_TRUSTED_PROXY_HOPS", "1")
    async with TestClient(TestServer(create_app(load_settings()))) as client:
        response = await client.get("/officer/login", headers={"X-Forwarded-Proto": "https"})
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
