"""deploy/compose.yml and deploy/haproxy.cfg are correct without a Docker engine.

The compose file is checked against the Compose Specification's JSON schema (vendored in
deploy/schemas/, from the compose-spec project) and against Medverk's own rules: only the
gateway is published, Rasa and the action servers sit on an internal network, every
long-running part restarts and has a health check, secrets come from files.
HAProxy's configurations (deploy's and the one `make run-cluster` writes) pass `haproxy -c`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from medverk.cluster import ClusterPorts, endpoints_config, haproxy_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INTERNAL_PARTS = ("rasa-1", "rasa-2", "actions-1", "actions-2", "haproxy", "postgres", "redis")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yml").read_text()))


def test_compose_file_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads((DEPLOY / "schemas" / "compose-spec.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_schema_rejects_a_broken_compose_file() -> None:
    schema = json.loads((DEPLOY / "schemas" / "compose-spec.json").read_text())
    broken = {"services": {"rasa": {"image": "x", "restart": "sometimes", "ports": "8080"}}}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_only_the_gateway_is_published(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["gateway"]["ports"] == ["8080:8080"]
    for name in INTERNAL_PARTS:
        assert "ports" not in services[name], name
        assert services[name]["networks"] == ["internal"], name
    assert compose["networks"]["internal"]["internal"] is True


def test_every_part_restarts_and_has_a_health_check(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if name == "migrate":  # a one-off job
            assert service["restart"] == "no"
            continue
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name


def test_secrets_come_from_files_and_are_all_defined(compose: dict[str, Any]) -> None:
    defined = compose["secrets"]
    for name, service in compose["services"].items():
        for secret in service.get("secrets", []):
            assert secret in defined, (name, secret)
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in ("PASSWORD", "SECRET", "TOKEN")):
                assert str(value).startswith("/run/secrets/"), (name, key)
    for secret in defined.values():
        assert secret["file"].startswith("./secrets/")
    assert "secrets" in (DEPLOY / "Dockerfile.dockerignore").read_text()


def test_engines_use_the_redis_lock_store_and_postgres_tracker_store() -> None:
    endpoints = yaml.safe_load((DEPLOY / "endpoints.compose.yml").read_text())
    assert endpoints["lock_store"]["type"] == "redis"
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert "X-Medverk-Action-Token" in endpoints["action_endpoint"]["headers"]
    cluster = yaml.safe_load(endpoints_config("postgresql://u:p@127.0.0.1:5432/m", "h:1", "k"))
    assert (
        cluster["lock_store"] | {"type": "redis", "url": "h", "port": 1, "key_prefix": "k"}
        == (cluster["lock_store"])
    )
    assert cluster["tracker_store"]["db"] == "m_rasa"


@pytest.mark.parametrize("which", ["deploy", "cluster"])
def test_haproxy_accepts_its_configuration(which: str, tmp_path: Path) -> None:
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.skip("haproxy is not installed (make system-deps)")
    config = DEPLOY / "haproxy.cfg"
    if which == "cluster":
        config = tmp_path / "haproxy.cfg"
        config.write_text(haproxy_config(ClusterPorts.free()))
    result = subprocess.run(
        [haproxy, "-c", "-f", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hdr(X-Medverk-Sender)" in config.read_text()
