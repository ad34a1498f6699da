"""The action server can load every action, and serves every custom action the domain names."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

from medverk.settings import PROJECT_ROOT


def _domain_actions() -> set[str]:
    names: set[str] = set()
    for path in Path(PROJECT_ROOT / "domain").glob("*.yml"):
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        # An action is a name, or a name with its settings ({name: {send_domain: true}}).
        for action in domain.get("actions") or []:
            names.update([action] if isinstance(action, str) else action)
        for form in domain.get("forms") or {}:
            names.add(f"validate_{form}")
    return names


def test_every_action_module_registers() -> None:
    """Registering the `actions` package (as `python -m rasa_sdk` does) raises nothing."""
    executor = ActionExecutor()
    executor.register_package("actions")
    assert "action_session_start" in executor.actions


def test_every_custom_action_in_the_domain_is_served() -> None:
    """Each `action_*` the domain declares has an implementation on the action server."""
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in _domain_actions() if name.startswith("action_")}
    assert custom - set(executor.actions) == set()
