"""Flag likely abusive input with an editable word list (`data/moderation/abuse_words.yml`).

A flag is only a hint for moderation; nothing is hidden. Words match whole
words (case-insensitive); a trailing `*` matches any word starting with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from medverk.settings import PROJECT_ROOT

__all__ = ["ABUSE_WORDS_FILE", "AbuseList", "current_abuse_list", "load_abuse_list"]

ABUSE_WORDS_FILE = PROJECT_ROOT / "data" / "moderation" / "abuse_words.yml"


def _pattern(word: str) -> str:
    prefix = word.endswith("*")
    parts = [re.escape(p) for p in word.rstrip("*").split()]
    body = r"\s+".join(parts)
    return rf"(?<!\w){body}" + (r"\w*" if prefix else r"(?!\w)")


@dataclass(frozen=True)
class AbuseList:
    """The compiled word list."""

    words: tuple[str, ...]

    @property
    def regex(self) -> re.Pattern[str] | None:
        return _compile(self.words)

    def matches(self, text: str) -> list[str]:
        """The words of the list found in `text` (as written in the text)."""
        regex = self.regex
        return [] if regex is None else [m.group(0) for m in regex.finditer(text)]

    def flags(self, text: str) -> bool:
        """Whether `text` holds a word of the list."""
        regex = self.regex
        return regex is not None and regex.search(text) is not None


@lru_cache(maxsize=8)
def _compile(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile("|".join(_pattern(w) for w in words), re.IGNORECASE)


def _clean(words: Iterable[object]) -> tuple[str, ...]:
    return tuple(sorted({str(w).strip().lower() for w in words if str(w).strip().rstrip("*")}))


def load_abuse_list(path: Path | None = None) -> AbuseList:
    """Read the word list (an empty list when the file is missing)."""
    file = path or ABUSE_WORDS_FILE
    if not file.exists():
        return AbuseList(())
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    return AbuseList(_clean(data.get("words") or []))


_loaded: dict[Path, tuple[float, AbuseList]] = {}


def current_abuse_list(path: Path | None = None) -> AbuseList:
    """The word list, read again only when the file changed (so edits apply at once)."""
    file = path or ABUSE_WORDS_FILE
    try:
        mtime = file.stat().st_mtime
    except OSError:
        return AbuseList(())
    cached = _loaded.get(file)
    if cached is None or cached[0] != mtime:
        cached = (mtime, load_abuse_list(file))
        _loaded[file] = cached
    return cached[1]
