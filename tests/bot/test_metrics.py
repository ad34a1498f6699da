"""GET /metrics: Prometheus text with chat counters, latency, Rasa errors and store gauges.

The gateway is the real one (`create_app`) on a migrated store (SQLite and PostgreSQL);
Rasa is the chat API tests' stand-in speaking Rasa's REST webhook.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.app import create_app
from medverk.runner import free_port
from medverk.settings import load_settings
from tests.bot.test_chat_api import RasaStandIn

SENDER = "metrics-sender-0001"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
async def rasa() -> AsyncIterator[RasaStandIn]:
    standin = RasaStandIn()
    await standin.server.start_server()
    yield standin
    await standin.server.close()


@pytest.fixture
def gateway_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, rasa: RasaStandIn
) -> None:
    monkeypatch.setenv("MEDVERK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MEDVERK_SECRET_KEY", "metrics-test-secret")
    monkeypatch.setenv("MEDVERK_CASE_SYNC_INTERVAL", "0")
    monkeypatch.setenv("MEDVERK_DATABASE_URL", database_url)
    monkeypatch.setenv("MEDVERK_RASA_URL", str(rasa.server.make_url("")).rstrip("/"))
    monkeypatch.setenv("MEDVERK_ACTION_SERVER_URL", f"http://127.0.0.1:{free_port()}")


@pytest.mark.usefixtures("gateway_env")
async def test_metrics_count_answers_latency_and_rasa_errors(rasa: RasaStandIn) -> None:
    async with TestClient(TestServer(create_app(load_settings()), host="127.0.0.1")) as client:
        for message in ("hei", "kva saker er på høyring no?"):
            response = await client.post("/api/chat", json={"sender": SENDER, "message": message})
            assert response.status == 200
        rasa.failing = True
        response = await client.post("/api/chat", json={"sender": SENDER, "message": "hei"})
        assert response.status == 503
        response = await client.get("/metrics")
        assert response.status == 200
        assert response.content_type == "text/plain"
        samples = _samples(await response.text())
    web = (("channel", "web"),)
    assert samples[("medverk_chat_messages_total", web)] == 2
    assert samples[("medverk_chat_latency_seconds_count", web)] == 2
    assert samples[("medverk_chat_latency_seconds_bucket", (*web, ("le", "+Inf")))] == 2
    assert samples[("medverk_rasa_errors_total", web)] == 1
    assert samples[("medverk_inputs_stored", ())] == 0
    assert samples[("medverk_case_data_age_seconds", ())] == -1  # never synced
    assert samples[("medverk_action_server_up", ())] == 0  # nothing listens there


@pytest.mark.usefixtures("gateway_env")
async def test_metrics_only_from_loopback_or_with_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with TestClient(TestServer(create_app(load_settings()), host="127.0.0.1")) as client:
        proxied = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status == 404
    monkeypatch.setenv("MEDVERK_METRICS_TOKEN", "scrape-token-123")
    monkeypatch.setenv("MEDVERK_TRUSTED_PROXY_HOPS", "1")
    async with TestClient(TestServer(create_app(load_settings()), host="127.0.0.1")) as client:
        forwarded = {"X-Forwarded-For": "203.0.113.9"}
        assert (await client.get("/metrics", headers=forwarded)).status == 404
        wrong = await client.get("/metrics", headers={**forwarded, "Authorization": "Bearer x"})
        assert wrong.status == 404
        right = await client.get(
            "/metrics", headers={**forwarded, "Authorization": "Bearer scrape-token-123"}
        )
        assert right.status == 200
        assert "medverk_chat_messages" in await right.text()
