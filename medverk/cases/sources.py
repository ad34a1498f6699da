"""Where case data comes from: the `CaseSource` interface and the file source.

Errors (one hierarchy for every source):
- `CaseSourceError` — the base; the sync records it and keeps the old data.
  - `CaseSourceUnavailable` (a `ConnectionError`): the source could not be
    reached, timed out, refused the key or answered with a server error.
  - `CaseSourceDataError` (a `ValueError`): the source answered with something
    that is not eInnsyn-shaped case data (malformed JSON, missing fields).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Protocol

from medverk.cases.einnsyn_format import CaseFormatError, batch_from_moetemapper
from medverk.cases.records import CaseBatch
from medverk.cases.sample_dates import shift_document
from medverk.clock import today

__all__ = [
    "CaseSource",
    "CaseSourceDataError",
    "CaseSourceError",
    "CaseSourceUnavailable",
    "FileCaseSource",
]


class CaseSourceError(Exception):
    """The case source could not deliver case data."""


class CaseSourceUnavailable(CaseSourceError, ConnectionError):
    """The case source did not answer usefully (down, slow, refused, server error)."""


class CaseSourceDataError(CaseSourceError, ValueError):
    """The case source answered with data that is not eInnsyn-shaped."""


class CaseSource(Protocol):
    """Anything that can deliver the current meetings and agenda items."""

    name: str

    async def fetch(self) -> CaseBatch:
        """All meetings and agenda items the source has now (raises `CaseSourceError`)."""
        ...


def _read_document(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


class FileCaseSource:
    """eInnsyn-shaped JSON files in a folder (the shipped sample lives in `data/cases/`).

    Each `*.json` file is an eInnsyn list body, `{"items": [Moetemappe, ...]}`
    with `moetesak` expanded, or a bare list of Moetemappe. The optional keys
    `kommune` (municipality name) and `sample` (true for made-up data) say
    whose data it is. A sample file that declares `referansedato` has its dates
    moved to today by whole weeks (`medverk.cases.sample_dates`); real data never is.
    """

    name = "file"

    def __init__(self, directory: Path, *, municipality: str = "") -> None:
        self.directory = directory
        self.municipality = municipality

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            raise CaseSourceUnavailable(f"case folder {self.directory} does not exist")
        return sorted(path for path in self.directory.glob("*.json") if path.is_file())

    async def fetch(self) -> CaseBatch:
        """Read and parse every JSON file (in a thread: files may be large)."""
        return await asyncio.to_thread(self._fetch_sync)

    def _fetch_sync(self) -> CaseBatch:
        batch = CaseBatch()
        for path in self._files():
            try:
                document = _read_document(path)
            except OSError as exc:
                raise CaseSourceUnavailable(f"cannot read {path.name}: {exc}") from exc
            except ValueError as exc:
                raise CaseSourceDataError(f"{path.name} is not valid JSON: {exc}") from exc
            if isinstance(document, dict):
                document = shift_document(document, today())
                items = document.get("items")
                municipality = str(document.get("kommune") or self.municipality)
                is_sample = document.get("sample") is True
            else:
                items, municipality, is_sample = document, self.municipality, False
            if not isinstance(items, list):
                raise CaseSourceDataError(f"{path.name} has no list of Moetemappe in 'items'")
            try:
                part = batch_from_moetemapper(items, municipality, is_sample=is_sample)
            except CaseFormatError as exc:
                raise CaseSourceDataError(f"{path.name}: {exc}") from exc
            batch.meetings.extend(part.meetings)
            batch.items.extend(part.items)
        return batch
