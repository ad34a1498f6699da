"""GET /metrics: the gateway's Prometheus metrics (prometheus-client).

Counted as they happen: chat messages and their latency per channel (`web`, `tg`;
the time from the message to Rasa's answer), and Rasa errors per channel. Read from
the store at each scrape: inputs stored, age of the case data (since the last good
case sync), outbox backlog per channel, and whether the action server answers
(an action server that is down is what makes Rasa's action calls fail).

Only for monitoring: a request with `Authorization: Bearer <MEDVERK_METRICS_TOKEN>`
(when that token is set), or a direct request from loopback (no reverse proxy in
between: MEDVERK_TRUSTED_PROXY_HOPS=0 and no X-Forwarded-For). Everything else: 404.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging

import aiohttp
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError

from bot.keys import HTTP_SESSION, SESSIONMAKER, SETTINGS
from medverk import clock
from medverk.store import cases_repo, inputs_repo, outbox_repo

__all__ = ["METRICS", "GatewayMetrics", "setup"]

log = logging.getLogger(__name__)

_LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30)
_PROBE_TIMEOUT = aiohttp.ClientTimeout(total=2)


class GatewayMetrics:
    """One registry per gateway app (tests build several apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages = Counter(
            "medverk_chat_messages", "Chat messages answered", ["channel"], registry=r
        )
        self.latency = Histogram(
            "medverk_chat_latency_seconds",
            "Time from a chat message to Rasa's answer",
            ["channel"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.rasa_errors = Counter(
            "medverk_rasa_errors", "Chat messages Rasa could not answer", ["channel"], registry=r
        )
        self.inputs_stored = Gauge("medverk_inputs_stored", "Inputs in the store", registry=r)
        self.case_data_age = Gauge(
            "medverk_case_data_age_seconds",
            "Seconds since the last successful case sync (-1: never)",
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "medverk_outbox_backlog", "Messages still to deliver", ["channel"], registry=r
        )
        self.action_server_up = Gauge(
            "medverk_action_server_up", "1 when the action server answers", registry=r
        )

    def answered(self, channel: str, seconds: float) -> None:
        self.messages.labels(channel).inc()
        self.latency.labels(channel).observe(seconds)

    def rasa_error(self, channel: str) -> None:
        self.rasa_errors.labels(channel).inc()


METRICS = web.AppKey("metrics", GatewayMetrics)


async def _read_store(app: web.Application, metrics: GatewayMetrics) -> None:
    async with app[SESSIONMAKER]() as session:
        metrics.inputs_stored.set(await inputs_repo.count_inputs(session))
        last_sync = await cases_repo.last_successful_sync_end(session)
        if last_sync is None:
            metrics.case_data_age.set(-1)
        else:
            metrics.case_data_age.set((clock.utcnow() - last_sync).total_seconds())
        backlog = await outbox_repo.backlog_by_channel(session)
        metrics.outbox_backlog.clear()
        for channel, count in backlog.items():
            metrics.outbox_backlog.labels(channel).set(count)


async def _probe_action_server(app: web.Application, metrics: GatewayMetrics) -> None:
    url = f"{app[SETTINGS].action_server_url}/health"
    try:
        async with app[HTTP_SESSION].get(url, timeout=_PROBE_TIMEOUT) as response:
            metrics.action_server_up.set(1 if response.status == 200 else 0)
    except (aiohttp.ClientError, asyncio.TimeoutError):
        metrics.action_server_up.set(0)


def _allowed(request: web.Request) -> bool:
    token = request.app[SETTINGS].metrics_token
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if request.app[SETTINGS].trusted_proxy_hops or "X-Forwarded-For" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


async def metrics_view(request: web.Request) -> web.Response:
    if not _allowed(request):
        raise web.HTTPNotFound()
    metrics = request.app[METRICS]
    try:
        await _read_store(request.app, metrics)
    except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
        log.warning("metrics: the store did not answer: %s", type(exc).__name__)
    await _probe_action_server(request.app, metrics)
    body = generate_latest(metrics.registry)
    return web.Response(
        body=body, headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}
    )


def setup(app: web.Application) -> None:
    app[METRICS] = GatewayMetrics()
    app.router.add_get("/metrics", metrics_view)
