"""Everyday words for cases that a municipality edits without code.

eInnsyn has no field for the names people use ("Loftet" for the youth club,
"gymsal" for the sports hall), so they live in small YAML files beside the case
data: `<name>.keywords.yml` in the cases folder (`MEDVERK_CASES_DIR`), keyed by
case number, each value a list of words or short phrases in any målform. The
sync adds their search terms to the case's title terms (see data/cases/README.md).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from medverk.cases.caseref import parse_case_ref
from medverk.cases.records import CaseBatch
from medverk.cases.terms import text_terms

__all__ = ["KEYWORDS_GLOB", "KEYWORD_MARK", "apply_keywords", "load_keywords"]

log = logging.getLogger(__name__)

KEYWORDS_GLOB = "*.keywords.yml"
# In `topics`, the title's terms come first, then this mark, then the keyword terms.
KEYWORD_MARK = "|"


def load_keywords(directory: Path) -> dict[str, list[str]]:
    """Case number → keywords from every `*.keywords.yml` in `directory` (none: empty).

    A file that is not a mapping of case numbers to lists is skipped with a warning,
    so one typo never stops the sync.
    """
    keywords: dict[str, list[str]] = {}
    if not directory.is_dir():
        return keywords
    for path in sorted(directory.glob(KEYWORDS_GLOB)):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            log.warning("case keywords %s skipped: %s", path.name, exc)
            continue
        if not isinstance(document, dict):
            log.warning("case keywords %s skipped: not a mapping of case numbers", path.name)
            continue
        for key, words in document.items():
            ref = parse_case_ref(str(key))
            if ref is None or not isinstance(words, list):
                log.warning("case keywords %s: entry %r skipped", path.name, key)
                continue
            keywords.setdefault(ref, []).extend(str(word) for word in words if word)
    return keywords


def apply_keywords(batch: CaseBatch, keywords: Mapping[str, Sequence[str]]) -> CaseBatch:
    """The batch with each case's keyword terms added to its title terms (after
    `KEYWORD_MARK`) and search terms."""
    if not keywords:
        return batch
    items = []
    for item in batch.items:
        words = keywords.get(item.case_ref)
        if not words:
            items.append(item)
            continue
        extra = text_terms(" ".join(words))
        title_terms, _, _old_extra = item.topics.partition(f" {KEYWORD_MARK} ")
        topics = [*title_terms.split(), KEYWORD_MARK, *extra]
        search = list(dict.fromkeys([*item.search_text.split(), *extra]))
        items.append(
            dataclasses.replace(item, topics=" ".join(topics), search_text=f" {' '.join(search)} ")
        )
    return CaseBatch(meetings=batch.meetings, items=items)
