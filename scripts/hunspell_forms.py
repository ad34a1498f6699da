"""Every word form a hunspell dictionary (.dic + .aff) spells, by expanding its affix rules.

Used by scripts/build_malform_wordlist.py on Debian's `hunspell-no` (nb_NO, nn_NO). Handles
what those dictionaries use: one-character flags, PFX/SFX rules with strip, add and a
condition, and cross products of a prefix and a suffix when both allow them ("Y").
Compounding (COMPOUNDFLAG) is not expanded: a compound is not a word of its own here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AffixRule", "expand", "read_affixes", "read_dictionary"]


@dataclass(frozen=True)
class AffixRule:
    """One PFX or SFX line: strip `strip`, add `add`, where the word matches `condition`."""

    kind: str  # "PFX" or "SFX"
    cross: bool
    strip: str
    add: str
    condition: re.Pattern[str]

    def apply(self, word: str) -> str | None:
        """The word with this affix, or None when the rule does not fit it."""
        if not self.condition.search(word):
            return None
        if self.kind == "SFX":
            if self.strip and not word.endswith(self.strip):
                return None
            stem = word[: len(word) - len(self.strip)] if self.strip else word
            return stem + self.add
        if self.strip and not word.startswith(self.strip):
            return None
        return self.add + word[len(self.strip) :]


def _condition(kind: str, text: str) -> re.Pattern[str]:
    pattern = ".*" if text == "." else text
    return re.compile(f"^{pattern}" if kind == "PFX" else f"{pattern}$")


def read_affixes(path: Path, encoding: str = "latin-1") -> dict[str, list[AffixRule]]:
    """The PFX/SFX rules of an .aff file by flag."""
    rules: dict[str, list[AffixRule]] = {}
    cross: dict[str, bool] = {}
    for line in path.read_text(encoding=encoding).splitlines():
        parts = line.split()
        if len(parts) < 4 or parts[0] not in ("PFX", "SFX"):
            continue
        kind, flag = parts[0], parts[1]
        if flag not in cross:  # the header line: PFX flag Y|N count
            cross[flag] = parts[2] == "Y"
            rules[flag] = []
            continue
        strip = "" if parts[2] == "0" else parts[2]
        add = "" if parts[3] == "0" else parts[3].split("/")[0]
        condition = _condition(kind, parts[4] if len(parts) > 4 else ".")
        rules[flag].append(AffixRule(kind, cross[flag], strip, add, condition))
    return rules


def read_dictionary(path: Path, encoding: str = "latin-1") -> Iterator[tuple[str, str]]:
    """(word, flags) of each .dic entry (the first line, a count, is skipped)."""
    for number, line in enumerate(path.read_text(encoding=encoding).splitlines()):
        if number == 0 and line.strip().isdigit():
            continue
        entry = line.strip()
        if not entry:
            continue
        word, _, flags = entry.partition("/")
        yield word, flags.split()[0] if flags else ""


def expand(word: str, flags: str, rules: dict[str, list[AffixRule]]) -> set[str]:
    """The word and every form its flags spell (prefix x suffix when both cross)."""
    forms = {word}
    prefixes = [r for f in flags for r in rules.get(f, []) if r.kind == "PFX"]
    suffixes = [r for f in flags for r in rules.get(f, []) if r.kind == "SFX"]
    suffixed = {}
    for rule in suffixes:
        form = rule.apply(word)
        if form is not None:
            forms.add(form)
            suffixed[form] = rule.cross
    for rule in prefixes:
        form = rule.apply(word)
        if form is not None:
            forms.add(form)
        if rule.cross:
            for stem, crosses in suffixed.items():
                crossed = rule.apply(stem) if crosses else None
                if crossed is not None:
                    forms.add(crossed)
    return forms
