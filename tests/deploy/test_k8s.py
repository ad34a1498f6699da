"""The Kubernetes manifests in deploy/k8s/ are valid without a cluster.

Each resource is checked against the Kubernetes OpenAPI schemas shipped offline by
`kubernetes-validate` (strict: unknown fields fail), and against Medverk's rules: every
Deployment has probes, Rasa and the action servers are internal (ClusterIP, a NetworkPolicy
lets only Medverk's pods in), the Secret template holds no values.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

try:
    import kubernetes_validate
except ImportError:  # in requirements/app.lock.txt; `make install` installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("kubernetes-validate is not installed", allow_module_level=True)

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30.0"


def _resources() -> list[dict[str, Any]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


RESOURCES = _resources()


def _named(kind: str) -> dict[str, dict[str, Any]]:
    return {r["metadata"]["name"]: r for r in RESOURCES if r["kind"] == kind}


@pytest.mark.parametrize(
    "resource", RESOURCES, ids=[f"{r['kind']}/{r['metadata']['name']}" for r in RESOURCES]
)
def test_resource_matches_the_kubernetes_schema(resource: dict[str, Any]) -> None:
    kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_a_misspelt_field() -> None:
    deployment = dict(_named("Deployment")["rasa"])
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_every_deployment_has_probes_and_runs_unprivileged() -> None:
    for name, deployment in {**_named("Deployment"), **_named("StatefulSet")}.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            assert container["readinessProbe"] and container["livenessProbe"], name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name


def test_two_engines_and_two_action_servers() -> None:
    deployments = _named("Deployment")
    assert deployments["rasa"]["spec"]["replicas"] == 2
    assert deployments["actions"]["spec"]["replicas"] == 2


def test_rasa_and_actions_are_internal() -> None:
    for name, service in _named("Service").items():
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP", name
    policies = _named("NetworkPolicy")
    assert policies["default-deny-ingress"]["spec"]["podSelector"] == {}
    for policy, part, port in (
        ("rasa-from-gateway", "rasa", 5005),
        ("actions-from-rasa-and-gateway", "actions", 5055),
    ):
        spec = policies[policy]["spec"]
        assert spec["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == part
        (rule,) = spec["ingress"]
        assert rule["ports"] == [{"protocol": "TCP", "port": port}]
        # Only pods of this namespace (no namespaceSelector, no ipBlock).
        assert all(set(source) == {"podSelector"} for source in rule["from"])
    (ingress,) = _named("Ingress").values()
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "gateway"


def test_the_secret_template_holds_no_values() -> None:
    (secret,) = _named("Secret").values()
    assert secret["stringData"] and all(value == "" for value in secret["stringData"].values())
