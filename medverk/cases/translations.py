"""The sync step that translates each case's texts into the other målform.

Case data comes in the municipality's målform (`MEDVERK_CASE_MALFORM`). At sync
time, the title, description, proposal (innstilling) and decision of every
agenda item are translated into the other målform and stored beside the item
(`case_translations`), so answers never wait for a translator. A translation
whose source texts and translator (with its fixes) are unchanged since the last sync
is reused. When the
translator is missing or fails, the row says so (`ok` false) and readers show
the original; the next sync tries again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medverk.cases.records import AgendaItemRecord, CaseBatch
from medverk.cases.translate import TranslationError, Translator
from medverk.clock import utcnow
from medverk.settings import Malform

__all__ = ["TRANSLATED_FIELDS", "TranslationOutcome", "other_malform", "translate_batch"]

log = logging.getLogger(__name__)

TRANSLATED_FIELDS = ("title", "summary", "recommendation", "decision")


@dataclass
class TranslationOutcome:
    """The rows for `case_translations` and how many were new, reused or failed."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    translated: int = 0
    reused: int = 0
    failed: int = 0


def other_malform(malform: Malform) -> Malform:
    return "nb" if malform == "nn" else "nn"


def source_hash(item: AgendaItemRecord, source_malform: Malform) -> str:
    """What the translation of `item` depends on: its texts and their målform."""
    parts = [source_malform, *(getattr(item, name) or "" for name in TRANSLATED_FIELDS)]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _row(
    item: AgendaItemRecord,
    target: Malform,
    source_malform: Malform,
    digest: str,
    engine: str,
    texts: Mapping[str, str | None] | None,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "malform": target,
        "source_malform": source_malform,
        "source_hash": digest,
        "ok": texts is not None,
        **{name: (texts or {}).get(name) for name in TRANSLATED_FIELDS},
        "engine": engine,
        "error": error[:2000] if error else None,
        "translated_at": utcnow(),
    }


async def translate_batch(
    batch: CaseBatch,
    translator: Translator | None,
    source_malform: Malform,
    previous: Mapping[tuple[str, str], Mapping[str, Any]],
) -> TranslationOutcome:
    """A translation row per agenda item; `previous` holds the stored rows by (item, målform)."""
    target = other_malform(source_malform)
    outcome = TranslationOutcome()
    engine = translator.name if translator else "none"
    pending: list[tuple[AgendaItemRecord, str]] = []
    seen: set[str] = set()
    for item in batch.items:
        if item.id in seen:
            continue
        seen.add(item.id)
        digest = source_hash(item, source_malform)
        stored = previous.get((item.id, target))
        # Reused while its texts and the translator (with its fixes) are unchanged; with
        # no translator at hand the stored one is better than none.
        same_engine = translator is None or stored is None or stored.get("engine") == engine
        if stored is not None and stored["ok"] and stored["source_hash"] == digest and same_engine:
            outcome.rows.append(dict(stored))
            outcome.reused += 1
        else:
            pending.append((item, digest))
    if not pending:
        return outcome
    if translator is None:
        for item, digest in pending:
            outcome.rows.append(
                _row(item, target, source_malform, digest, engine, None, "no translator")
            )
        outcome.failed += len(pending)
        return outcome
    slots = [
        (index, name)
        for index, (item, _) in enumerate(pending)
        for name in TRANSLATED_FIELDS
        if getattr(item, name)
    ]
    try:
        texts = [getattr(pending[index][0], name) for index, name in slots]
        results = await translator.translate(texts, source_malform, target)
    except TranslationError as exc:
        log.warning("case translation %s→%s failed: %s", source_malform, target, exc)
        for item, digest in pending:
            outcome.rows.append(_row(item, target, source_malform, digest, engine, None, str(exc)))
        outcome.failed += len(pending)
        return outcome
    by_item: list[dict[str, str | None]] = [dict.fromkeys(TRANSLATED_FIELDS) for _ in pending]
    for (index, name), text in zip(slots, results, strict=True):
        by_item[index][name] = text
    for (item, digest), texts_of_item in zip(pending, by_item, strict=True):
        outcome.rows.append(_row(item, target, source_malform, digest, engine, texts_of_item))
    outcome.translated += len(pending)
    return outcome
