"""The gateway's own texts (when Rasa cannot answer), read from a data file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from medverk.settings import PROJECT_ROOT

__all__ = ["gateway_text"]

_TEXTS_FILE = PROJECT_ROOT / "data" / "knowledge" / "gateway.yml"


@lru_cache(maxsize=1)
def _texts(path: Path = _TEXTS_FILE) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data["texts"]


def gateway_text(key: str, malform: str) -> str:
    """The text `key` in målform `malform` (nn or nb)."""
    variants = _texts()[key]
    return variants.get(malform) or variants["nn"]
