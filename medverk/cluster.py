"""Medverk scaled out on one machine: two Rasa engines behind HAProxy (`make run-cluster`).

`python -m medverk.runner --cluster` starts, all on loopback (F3) and all supervised
(a part that dies is started again, medverk.supervision):

- two action servers and two Rasa engines; every engine reaches the action servers
  through HAProxy (round robin, health-checked), so either action server serves either
  engine;
- the engines share Rasa's SQL tracker store on PostgreSQL and a Redis lock store: a
  conversation's turns run one at a time and in order, whichever engine takes them;
- HAProxy in front of the engines, hashing the gateway's `X-Medverk-Sender` header
  (consistent hashing: a conversation stays on one engine while it is up, and moves to
  the other only while its engine is down);
- one gateway (the public door), its store on PostgreSQL.

The internal tokens stay as in the one-engine stack: HAProxy passes the headers
through, the engines still demand `X-Medverk-Gateway-Token` and the action servers
`X-Medverk-Action-Token`. Settings (environment): MEDVERK_CLUSTER_POSTGRES_URL (the
server and database name of the store; Rasa's tracker gets `<name>_rasa`),
MEDVERK_CLUSTER_REDIS (host:port), MEDVERK_LOCK_LIFETIME (seconds a killed engine's
lock ticket blocks its conversation; default 30, the gateway's timeout).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from medverk.files import private_files
from medverk.runner import (
    APP_PYTHON,
    RASA_PYTHON,
    READY_TIMEOUT_SECONDS,
    Stack,
    StackPorts,
    _answers_ok,
    _rasa_cli,
    free_port,
)
from medverk.settings import PROJECT_ROOT, RASA_TURNS_IN_FLIGHT
from medverk.supervision import Supervisor

__all__ = [
    "ENGINES",
    "Cluster",
    "ClusterPorts",
    "cluster_from_environment",
    "haproxy_config",
    "running_cluster",
]

ENGINES = 2
SENDER_HEADER = "X-Medverk-Sender"  # bot/rasa_client.py sends it
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/medverk_cluster"


@dataclass(frozen=True)
class ClusterPorts:
    """HAProxy's two doors and the gateway (`front`), and each engine and action server."""

    front: StackPorts  # rasa/actions: HAProxy's frontends; gateway: the gateway
    engines: tuple[int, ...]
    action_servers: tuple[int, ...]

    @classmethod
    def free(cls) -> ClusterPorts:
        return cls(
            front=StackPorts.free(),
            engines=tuple(free_port() for _ in range(ENGINES)),
            action_servers=tuple(free_port() for _ in range(ENGINES)),
        )


def haproxy_config(ports: ClusterPorts) -> str:
    """HAProxy's configuration: engines hashed on the sender, action servers round robin."""
    engines = "\n".join(
        f"    server rasa-{i + 1} 127.0.0.1:{port} check" for i, port in enumerate(ports.engines)
    )
    actions = "\n".join(
        f"    server actions-{i + 1} 127.0.0.1:{port} check"
        for i, port in enumerate(ports.action_servers)
    )
    return f"""# Written by medverk.cluster; every address is loopback (F3).
global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 65s
    timeout server 65s
    timeout http-keep-alive 30s
    # A refused connection (the engine is down, not yet marked so) goes to another server.
    retries 3
    option redispatch 1
    # A busy engine answers its check late (one event loop, CPU-bound turns): give it 10 s,
    # or HAProxy marks both engines down under load. A killed one refuses at once, and is
    # marked down after 3 refusals a second apart.
    timeout check 10s
    default-server inter 2s fastinter 1s downinter 1s fall 3 rise 1

frontend rasa
    bind 127.0.0.1:{ports.front.rasa}
    default_backend rasa_engines

backend rasa_engines
    # One conversation, one engine while it is up; the Redis lock store orders turns anyway.
    # Requests without the header (tracker API calls) go round robin.
    balance hdr({SENDER_HEADER})
    hash-type consistent
    option httpchk GET /
    http-check expect status 200
{engines}

frontend actions
    bind 127.0.0.1:{ports.front.actions}
    default_backend action_servers

backend action_servers
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
{actions}
"""


def endpoints_config(postgres_url: str, redis: str, key_prefix: str) -> str:
    """endpoints.yml for the engines: actions via HAProxy, SQL tracker store, Redis locks."""
    url = urlsplit(postgres_url)
    redis_host, _, redis_port = redis.partition(":")
    password = f"\n  password: {url.password}" if url.password else ""
    return f"""# Written by medverk.cluster (see endpoints.yml for the one-engine stack).
action_endpoint:
  url: ${{MEDVERK_ACTION_SERVER_URL}}/webhook
  headers:
    X-Medverk-Action-Token: ${{MEDVERK_ACTION_TOKEN}}
  enable_selective_domain: true

tracker_store:
  type: SQL
  dialect: "postgresql"
  url: "{url.hostname or "127.0.0.1"}"
  port: {url.port or 5432}
  db: "{tracker_db_name(postgres_url)}"
  username: "{url.username or "postgres"}"{password}

lock_store:
  type: redis
  url: "{redis_host or "127.0.0.1"}"
  port: {redis_port or 6379}
  db: 1
  key_prefix: "{key_prefix}"
"""


def tracker_db_name(postgres_url: str) -> str:
    return urlsplit(postgres_url).path.lstrip("/") + "_rasa"


def _with_db(postgres_url: str, name: str, driver: str = "postgresql") -> str:
    url = urlsplit(postgres_url)
    return url._replace(scheme=driver, path=f"/{name}").geturl()


@dataclass
class Cluster(Stack):
    """Two engines, two action servers, HAProxy and the gateway, supervised together."""

    cluster_ports: ClusterPorts = field(default_factory=ClusterPorts.free)
    postgres_url: str = DEFAULT_POSTGRES
    redis: str = "127.0.0.1:6379"
    key_prefix: str = field(default_factory=lambda: "medverk" + uuid.uuid4().hex[:8])
    supervisor: Supervisor | None = None

    def __post_init__(self) -> None:
        # The gateway and HAProxy's frontends listen where `ports` says.
        self.cluster_ports = replace(self.cluster_ports, front=self.ports)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.cluster_ports.front.rasa}"

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.cluster_ports.front.actions}"

    @property
    def tracker_url(self) -> str:
        return _with_db(self.postgres_url, tracker_db_name(self.postgres_url))

    def env(self) -> dict[str, str]:
        env = {
            "MEDVERK_DATABASE_URL": _with_db(
                self.postgres_url, urlsplit(self.postgres_url).path.lstrip("/")
            ),
            "MEDVERK_RASA_TRACKER_URL": self.tracker_url,
            "TICKET_LOCK_LIFETIME": os.environ.get("MEDVERK_LOCK_LIFETIME", "30"),
            # The one gateway's bound on turns in flight (bot/rasa_client.turn_session),
            # per engine: HAProxy spreads them over the engines.
            "MEDVERK_RASA_TURNS_IN_FLIGHT": str(
                RASA_TURNS_IN_FLIGHT * len(self.cluster_ports.engines)
            ),
        }
        saved, self.extra_env = self.extra_env, {**env, **self.extra_env}
        try:
            return super().env()
        finally:
            self.extra_env = saved

    def start(self) -> None:
        """Databases, HAProxy, action servers, engines, then the gateway (migrated store)."""
        private_files(self.var_dir)
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        config = self.var_dir / "haproxy.cfg"
        config.write_text(haproxy_config(self.cluster_ports))
        endpoints = self.var_dir / "endpoints-cluster.yml"
        endpoints.write_text(endpoints_config(self.postgres_url, self.redis, self.key_prefix))
        self._create_databases(endpoints)
        env = self.env()
        for step in (["db", "upgrade"], ["cases", "sync"]):
            subprocess.run(  # noqa: S603 - fixed argument lists
                [str(APP_PYTHON), "-m", "medverk.cli", *step],
                cwd=PROJECT_ROOT,
                env=env,
                check=step[0] == "db",
            )
        self._spawn("haproxy", [haproxy, "-db", "-f", str(config)])
        for i, port in enumerate(self.cluster_ports.action_servers, start=1):
            self._spawn(
                f"actions-{i}",
                [str(APP_PYTHON), "-m", "medverk.action_server", "--port", str(port)],
            )
        model = str(self.model or PROJECT_ROOT / "models")
        for i, port in enumerate(self.cluster_ports.engines, start=1):
            self._spawn(
                f"rasa-{i}",
                [
                    *_rasa_cli(env),
                    *("run", "--model", model, "--endpoints", str(endpoints)),
                    *("--credentials", "credentials.yml", "--interface", "127.0.0.1"),
                    *("--port", str(port), "--enable-api", "--auth-token", self._rasa_token()),
                ],
            )
        self._spawn("gateway", [str(APP_PYTHON), "-m", "bot"])

    def _create_databases(self, endpoints: Path) -> None:
        """The store's database, and Rasa's tracker tables made once (not raced by two engines)."""
        admin = _with_db(self.postgres_url, "postgres")
        for name in (
            urlsplit(self.postgres_url).path.lstrip("/"),
            tracker_db_name(self.postgres_url),
        ):
            asyncio.run(_create_database(admin, name))
        subprocess.run(  # noqa: S603 - fixed argument list
            [str(RASA_PYTHON), "-c", _CREATE_TRACKER_STORE, str(endpoints)],
            cwd=PROJECT_ROOT,
            env=self.env(),
            check=True,
        )

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Block until every engine has a model and every other part answers."""
        token = self._rasa_token()
        checks = {"gateway": f"{self.gateway_url}/healthz"}
        for i, port in enumerate(self.cluster_ports.engines, start=1):
            checks[f"rasa-{i}"] = f"http://127.0.0.1:{port}/status?token={token}"
        for i, port in enumerate(self.cluster_ports.action_servers, start=1):
            checks[f"actions-{i}"] = f"http://127.0.0.1:{port}/health"
        deadline = time.monotonic() + timeout
        pending = dict(checks)
        while pending:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    log = self.var_dir / f"{name}.log"
                    raise RuntimeError(f"{name} stopped (exit {process.returncode}); see {log}")
            for name, url in list(pending.items()):
                if _answers_ok(url):
                    del pending[name]
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.5)


# Runs in the Rasa environment: Rasa's own SQLTrackerStore creates its database and tables.
_CREATE_TRACKER_STORE = """
import sys
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
TrackerStore.create(AvailableEndpoints.read_endpoints(sys.argv[1]).tracker_store)
"""


async def _create_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def cluster_from_environment() -> Cluster:
    """The cluster `make run-cluster` starts: the gateway's port and host as `make run`'s."""
    free = ClusterPorts.free()
    front = StackPorts(
        rasa=int(os.environ.get("MEDVERK_RASA_PORT", 5005)),
        actions=int(os.environ.get("MEDVERK_ACTION_SERVER_PORT", 5055)),
        gateway=int(os.environ.get("MEDVERK_PORT", 8080)),
    )
    return Cluster(
        ports=front,
        var_dir=Path(os.environ.get("MEDVERK_VAR_DIR", PROJECT_ROOT / "var")) / "cluster",
        gateway_host=os.environ.get("MEDVERK_HOST", "0.0.0.0"),
        cluster_ports=free,
        postgres_url=os.environ.get("MEDVERK_CLUSTER_POSTGRES_URL", DEFAULT_POSTGRES),
        redis=os.environ.get("MEDVERK_CLUSTER_REDIS", "127.0.0.1:6379"),
    )


@contextmanager
def running_cluster(
    postgres_url: str,
    redis: str,
    model: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Cluster]:
    """A whole cluster on free loopback ports with a throw-away var dir; stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="medverk-cluster-") as tmp:
        free = ClusterPorts.free()
        cluster = Cluster(
            ports=free.front,
            var_dir=Path(tmp),
            model=model,
            gateway_host="127.0.0.1",
            extra_env=extra_env or {},
            cluster_ports=free,
            postgres_url=postgres_url,
            redis=redis,
        )
        supervisor: Supervisor | None = None
        try:
            cluster.start()
            cluster.wait_ready()
            supervisor = cluster.supervisor = cluster.supervise()
            yield cluster
        finally:
            if supervisor is not None:
                supervisor.stop()
            cluster.stop()
