"""Fixes for what Apertium gets wrong in case texts, from a data file (pure).

Apertium's Nynorsk–Bokmål pair is good, but a few words of municipal language
come out wrong: "fråsegn" becomes "utsagn" (a remark) where Bokmål says
"uttalelse", "plassering" becomes "anbringelse", "retningsliner" stays Nynorsk.
`data/cases/translation_fixes.yml` lists, per direction, whole words or phrases
and what to write instead; the municipality can add its own. The fixes are
applied to Apertium's output at sync time, and their fingerprint is part of the
translator's name, so changing the file translates the cases again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from medverk.settings import Malform

__all__ = ["FIXES_FILE", "TranslationFixes", "load_translation_fixes"]

log = logging.getLogger(__name__)

FIXES_FILE = "translation_fixes.yml"
_DIRECTIONS: dict[str, tuple[Malform, Malform]] = {
    "nn_to_nb": ("nn", "nb"),
    "nb_to_nn": ("nb", "nn"),
}


def _pattern(wrong: str) -> re.Pattern[str]:
    # Whole words only; the first letter may be upper case (a title's first word).
    first, rest = wrong[0], re.escape(wrong[1:])
    return re.compile(rf"(?<!\w)[{re.escape(first.lower())}{re.escape(first.upper())}]{rest}(?!\w)")


def _replacement(right: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return right[0].upper() + right[1:] if match.group(0)[0].isupper() else right

    return replace


@dataclass(frozen=True)
class TranslationFixes:
    """Replacements per (source, target) målform, in file order; `fingerprint` of them."""

    rules: dict[tuple[Malform, Malform], tuple[tuple[str, str], ...]]
    fingerprint: str

    def apply(self, text: str, source: Malform, target: Malform) -> str:
        """`text` with every listed wrong word or phrase replaced."""
        for wrong, right in self.rules.get((source, target), ()):
            text = _pattern(wrong).sub(_replacement(right), text)
        return text


def load_translation_fixes(directory: Path) -> TranslationFixes:
    """The fixes in `directory/translation_fixes.yml` (missing or broken: none, logged)."""
    path = directory / FIXES_FILE
    rules: dict[tuple[Malform, Malform], tuple[tuple[str, str], ...]] = {}
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("translation fixes %s skipped: %s", path, exc)
        document = {}
    for key, direction in _DIRECTIONS.items():
        entries = (document or {}).get(key) or {}
        if not isinstance(entries, dict):
            log.warning("translation fixes %s: '%s' must map words to words", path, key)
            continue
        rules[direction] = tuple(
            (str(wrong), str(right)) for wrong, right in entries.items() if wrong and right
        )
    digest = hashlib.sha256(repr(sorted(rules.items())).encode("utf-8")).hexdigest()[:12]
    return TranslationFixes(rules, digest)
