"""The one loader for the Nynorsk/Bokmål text files in the knowledge folder.

Every file a person reads from (`participation.yml`, `conference.yml`,
`contact.yml`, `privacy.yml`, `officer.yml`, `widget.yml`, `telegram.yml`,
`gateway.yml`) is read here, the same way:

- **Where:** `text_file(name, knowledge_dir)`; without a folder, the one
  `MEDVERK_KNOWLEDGE_DIR` names (the repository's `data/knowledge/` when unset),
  so a municipality's own folder wins for every file.
- **Cache:** a file is re-read when it changes (its modification time), so a
  municipality can edit it while the servers run.
- **Placeholders:** one style, `{name}`, filled by `fill(text, name=value)`;
  a text without values is returned as it is.
- **Målform:** `pick(variants, malform)` falls back to Nynorsk;
  `require_both(value, where)` checks that a text exists in both.
- **Errors:** `TextsError` (a `ValueError`) naming the file and what is wrong,
  for a missing, unreadable or incomplete file and for an unknown placeholder.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from medverk.settings import PROJECT_ROOT

__all__ = [
    "MALFORMS",
    "TextsError",
    "buttons",
    "fill",
    "knowledge_dir",
    "pick",
    "read_text_file",
    "require_both",
    "text_file",
]

MALFORMS = ("nn", "nb")
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


class TextsError(ValueError):
    """A text file is missing, unreadable or lacks something its readers need."""


def knowledge_dir() -> Path:
    """The knowledge folder in force (`MEDVERK_KNOWLEDGE_DIR`, as `load_settings` reads it)."""
    configured = os.environ.get("MEDVERK_KNOWLEDGE_DIR", "").strip()
    return Path(configured) if configured else DEFAULT_KNOWLEDGE_DIR


def text_file(name: str, directory: Path | None = None) -> Path:
    """The path of the text file `name` in `directory` (default: the folder in force)."""
    return (directory if directory is not None else knowledge_dir()) / name


@lru_cache(maxsize=32)
def _read_cached(path: Path, mtime: float) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        raise TextsError(f"{path}: cannot read it ({error})") from error
    if not isinstance(data, dict):
        raise TextsError(f"{path}: expected a mapping at the top")
    return data


def read_text_file(path: Path) -> dict[str, Any]:
    """The top-level mapping of a text file (cached until the file changes). Do not mutate it."""
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        raise TextsError(f"{path}: missing ({error})") from error
    return _read_cached(path, mtime)


def pick(variants: Mapping[str, Any], malform: str | None) -> Any:
    """The variant for `malform`; Nynorsk when the målform is unknown or the variant empty."""
    chosen = variants.get(malform) if malform in MALFORMS else None
    return chosen or variants["nn"]


def require_both(value: object, where: str) -> dict[str, str]:
    """A text given in both målformer, stripped; `TextsError` naming `where` otherwise."""
    if not isinstance(value, dict) or any(not str(value.get(m) or "").strip() for m in MALFORMS):
        raise TextsError(f"{where} needs a text for both nn and nb")
    return {m: str(value[m]).strip() for m in MALFORMS}


class _Strict(dict[str, object]):
    def __missing__(self, key: str) -> object:
        raise TextsError(f"the text names {{{key}}}, which nothing fills in")


def fill(text: str, **values: object) -> str:
    """`text` with its `{name}` placeholders filled in; unchanged when no values are given."""
    if not values:
        return text
    try:
        return string.Formatter().vformat(text, (), _Strict(values))
    except (IndexError, ValueError) as error:
        if isinstance(error, TextsError):
            raise
        raise TextsError(f"{text[:60]!r}: braces that are not a placeholder ({error})") from error


def buttons(raw: Any) -> tuple[dict[str, str], ...]:
    """Buttons ({title, payload}) from a text file; entries lacking either are left out."""
    return tuple(
        {"title": str(button["title"]), "payload": str(button["payload"])}
        for button in raw or []
        if isinstance(button, dict) and button.get("title") and button.get("payload")
    )
