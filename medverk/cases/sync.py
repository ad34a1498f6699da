"""Sync: copy everything a case source has into the store, and record how it went.

A failed fetch leaves the stored cases as they were (the actions keep
answering from them) and records a failed run, which tells the actions to say
the data may be old.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.cases.einnsyn import EinnsynCaseSource
from medverk.cases.keywords import apply_keywords
from medverk.cases.sources import CaseSource, CaseSourceError, FileCaseSource
from medverk.cases.translate import Translator
from medverk.cases.translations import translate_batch
from medverk.clock import utcnow
from medverk.settings import Malform, Settings
from medverk.store import case_texts_repo, cases_repo

__all__ = ["SyncResult", "build_source", "sync_cases"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    """What one sync did: how many meetings and items, or the error."""

    source: str
    ok: bool
    meetings: int
    items: int
    seconds: float
    error: str | None = None
    # Items translated into the other målform now, reused from the last sync, or failed.
    translated: int = 0
    translations_reused: int = 0
    translations_failed: int = 0


def build_source(settings: Settings, http: aiohttp.ClientSession | None = None) -> CaseSource:
    """The case source the settings choose: `file` (default) or `einnsyn`."""
    if settings.case_source == "file":
        return FileCaseSource(settings.cases_dir)
    if settings.case_source == "einnsyn":
        if http is None:
            raise ValueError("the eInnsyn source needs an aiohttp ClientSession")
        return EinnsynCaseSource(
            http,
            settings.einnsyn_api_url,
            settings.einnsyn_api_key,
            # Not in Settings yet: the municipality's eInnsyn Enhet id narrows the list.
            journalenhet=os.environ.get("EINNSYN_JOURNALENHET", "").strip(),
        )
    raise ValueError(f"MEDVERK_CASE_SOURCE must be file or einnsyn, not {settings.case_source!r}")


async def sync_cases(
    sessionmaker: async_sessionmaker[AsyncSession],
    source: CaseSource,
    *,
    keywords: Mapping[str, Sequence[str]] | None = None,
    translator: Translator | None = None,
    source_malform: Malform = "nn",
) -> SyncResult:
    """Fetch from `source` and replace the stored cases in one transaction.

    `keywords` (case number → everyday words, from `load_keywords`) become search terms.
    `translator` turns the texts (in `source_malform`) into the other målform before
    the transaction; without one, or when it fails, the translations are marked missing.
    """
    started_at = utcnow()
    clock = time.perf_counter()
    try:
        batch = apply_keywords(await source.fetch(), keywords or {})
    except CaseSourceError as exc:
        error = f"{type(exc).__name__}: {exc}"
        log.warning("case sync from %s failed: %s", source.name, error)
        async with sessionmaker.begin() as session:
            await cases_repo.record_sync_run(
                session, source=source.name, started_at=started_at, ok=False, error=error
            )
        return SyncResult(source.name, False, 0, 0, time.perf_counter() - clock, error)
    async with sessionmaker() as session:
        previous = await case_texts_repo.stored_translations(session)
    translations = await translate_batch(batch, translator, source_malform, previous)
    async with sessionmaker.begin() as session:
        await cases_repo.replace_cases(session, batch)
        await case_texts_repo.replace_translations(session, translations.rows)
        await cases_repo.record_sync_run(
            session,
            source=source.name,
            started_at=started_at,
            ok=True,
            items_synced=len(batch.items),
        )
    seconds = time.perf_counter() - clock
    log.info(
        "case sync from %s: %d items in %.2fs (translations: %d new, %d reused, %d failed)",
        source.name,
        len(batch.items),
        seconds,
        translations.translated,
        translations.reused,
        translations.failed,
    )
    return SyncResult(
        source.name,
        True,
        len(batch.meetings),
        len(batch.items),
        seconds,
        translated=translations.translated,
        translations_reused=translations.reused,
        translations_failed=translations.failed,
    )
