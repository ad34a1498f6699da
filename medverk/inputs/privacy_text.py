"""The privacy explanation citizens get, read from `data/knowledge/privacy.yml`.

The answer is short (summary, how long input is kept, how to delete it); the
details are one button away, in the domain response `utter_privacy_details`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["PrivacyText", "load_privacy_text"]

_PARTS = ("summary", "retention", "delete")


@dataclass(frozen=True)
class PrivacyText:
    """The explanation in one målform, and its buttons."""

    text: str
    buttons: list[dict[str, str]]


@lru_cache(maxsize=8)
def _read(path: Path, mtime: float) -> dict[str, dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for malform in ("nn", "nb"):
        section = data.get(malform)
        if not isinstance(section, dict) or any(part not in section for part in _PARTS):
            raise ValueError(f"{path}: '{malform}' needs the parts {', '.join(_PARTS)}")
    return data


def load_privacy_text(
    knowledge_dir: Path, malform: str, *, retention_days: int, retention_mode: str
) -> PrivacyText:
    """The explanation for `malform`, with the configured retention filled in."""
    path = knowledge_dir / "privacy.yml"
    section = _read(path, path.stat().st_mtime)[malform if malform in ("nn", "nb") else "nn"]
    retention = section["retention"]
    assert isinstance(retention, dict)
    parts = [
        str(section["summary"]),
        str(retention[retention_mode]).replace("{retention_days}", str(retention_days)),
        str(section["delete"]),
    ]
    buttons = [
        {"title": str(b["title"]), "payload": str(b["payload"])}
        for b in section.get("buttons") or []  # type: ignore[union-attr]
    ]
    # One short paragraph; the details are behind the first button (utter_privacy_details).
    return PrivacyText(" ".join(parts), buttons)
