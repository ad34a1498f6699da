"""Every reply the assistant can give exists in Nynorsk and Bokmål."""

from __future__ import annotations

from pathlib import Path

import yaml

from medverk.settings import PROJECT_ROOT


def _responses() -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for path in sorted(Path(PROJECT_ROOT / "domain").glob("*.yml")):
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update(domain.get("responses") or {})
    return found


def test_every_response_has_a_nynorsk_and_a_bokmal_variation() -> None:
    """Each response has variations conditioned on malform nn and nb, with text, and no other."""
    responses = _responses()
    assert len(responses) >= 80
    for name, variations in responses.items():
        malforms = set()
        for variation in variations:
            conditions = variation.get("condition") or []
            assert isinstance(conditions, list) and conditions, name
            malforms |= {c["value"] for c in conditions if c.get("name") == "malform"}
            assert str(variation.get("text") or "").strip(), name
        assert malforms == {"nn", "nb"}, name
