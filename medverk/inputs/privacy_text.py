"""The privacy explanation citizens get, read from `privacy.yml` in the knowledge folder.

Read through `medverk.texts.loader`; a file that lacks a målform or a part
raises `KnowledgeError` like every other knowledge file.
"""

from __future__ import annotations

from pathlib import Path

from medverk.knowledge import Answer, KnowledgeError
from medverk.texts.loader import buttons, fill, read_text_file, text_file

__all__ = ["load_privacy_text"]

_PARTS = ("stored", "conversation", "readers", "retention", "delete")


def _sections(path: Path) -> dict[str, dict[str, object]]:
    data = read_text_file(path)
    for malform in ("nn", "nb"):
        section = data.get(malform)
        if not isinstance(section, dict) or any(part not in section for part in _PARTS):
            raise KnowledgeError(f"{path}: '{malform}' needs the parts {', '.join(_PARTS)}")
    return data


def load_privacy_text(
    knowledge_dir: Path, malform: str, *, retention_days: int, retention_mode: str
) -> Answer:
    """The explanation for `malform`, with the configured retention filled in."""
    section = _sections(text_file("privacy.yml", knowledge_dir))[
        malform if malform in ("nn", "nb") else "nn"
    ]
    retention = section["retention"]
    if not isinstance(retention, dict) or retention_mode not in retention:
        raise KnowledgeError(f"privacy.yml: 'retention' lacks {retention_mode}")
    parts = [
        str(section["stored"]),
        str(section["conversation"]),
        str(section["readers"]),
        fill(str(retention[retention_mode]), retention_days=retention_days),
        str(section["delete"]),
    ]
    return Answer("\n\n".join(parts), buttons(section.get("buttons")))
