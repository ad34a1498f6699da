"""The officer app's texts and citizen messages, read from `officer.yml`.

The file sits in the knowledge folder (`MEDVERK_KNOWLEDGE_DIR`), so a
municipality can edit wording without touching code. Every key has an
`nn` and an `nb` variant. Reading, placeholders and the error
(`TextsError`): `medverk.texts.loader`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from medverk.texts.loader import MALFORMS, TextsError, fill, pick, read_text_file, text_file

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
        return fill(pick(self.ui_texts[key], malform), **values)

    def citizen(self, key: str, malform: str, **values: object) -> str:
        """A message to a citizen in their målform (nn when unknown)."""
        return fill(pick(self.citizen_texts[key], malform), **values)

    def labels(self, malform: str) -> dict[str, str]:
        """Every UI label in one målform (for templates)."""
        return {key: self.ui(key, malform) for key in self.ui_texts}


def _check(section: str, entries: Mapping[str, Mapping[str, str]]) -> None:
    for key, variants in entries.items():
        missing = set(MALFORMS) - set(variants)
        if missing:
            raise TextsError(f"{FILE_NAME}: {section}.{key} lacks {', '.join(sorted(missing))}")


def load_texts(knowledge_dir: Path | None = None) -> OfficerTexts:
    """Read and check `officer.yml` from the knowledge folder (default: the one in force)."""
    data = read_text_file(text_file(FILE_NAME, knowledge_dir))
    _check("ui", data["ui"])
    _check("citizen", data["citizen"])
    return OfficerTexts(
        ui_texts={str(k): dict(v) for k, v in data["ui"].items()},
        citizen_texts={str(k): dict(v) for k, v in data["citizen"].items()},
        stop_words=frozenset(str(w).lower() for w in data.get("report_stop_words", [])),
    )
