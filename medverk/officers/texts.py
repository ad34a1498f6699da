"""The officer app's texts and citizen messages, read from `officer.yml`.

The file sits in the knowledge folder (`MEDVERK_KNOWLEDGE_DIR`), so a
municipality can edit wording without touching code. Every key has an
`nn` and an `nb` variant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["OfficerTexts", "load_texts"]

FILE_NAME = "officer.yml"


@dataclass(frozen=True)
class OfficerTexts:
    """UI labels, citizen message templates and report stop words."""

    ui_texts: Mapping[str, Mapping[str, str]]
    citizen_texts: Mapping[str, Mapping[str, str]]
    stop_words: frozenset[str]

    def ui(self, key: str, malform: str, **values: object) -> str:
        """The UI label `key` in `malform`, with `{placeholders}` filled in."""
        variants = self.ui_texts[key]
        text = variants.get(malform) or variants["nn"]
        return text.format(**values) if values else text

    def citizen(self, key: str, malform: str, **values: object) -> str:
        """A message to a citizen in their målform (nn when unknown)."""
        variants = self.citizen_texts[key]
        return (variants.get(malform) or variants["nn"]).format(**values)

    def labels(self, malform: str) -> dict[str, str]:
        """Every UI label in one målform (for templates)."""
        return {key: self.ui(key, malform) for key in self.ui_texts}


def _check(section: str, entries: Mapping[str, Mapping[str, str]]) -> None:
    for key, variants in entries.items():
        missing = {"nn", "nb"} - set(variants)
        if missing:
            raise ValueError(f"{FILE_NAME}: {section}.{key} lacks {', '.join(sorted(missing))}")


def load_texts(knowledge_dir: Path) -> OfficerTexts:
    """Read and check `officer.yml` from the knowledge folder."""
    with (knowledge_dir / FILE_NAME).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    _check("ui", data["ui"])
    _check("citizen", data["citizen"])
    return OfficerTexts(
        ui_texts={str(k): dict(v) for k, v in data["ui"].items()},
        citizen_texts={str(k): dict(v) for k, v in data["citizen"].items()},
        stop_words=frozenset(str(w).lower() for w in data.get("report_stop_words", [])),
    )
