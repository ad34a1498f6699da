"""Recall of case search on a labelled set of everyday phrasings (docs/retrieval.md).

The set is a TSV file: `text`, `expected` (case numbers joined by `|`, any of
them is right; `-` when no case is meant) and `kind` (nn, nb, dialekt, …).
Each text goes through `find_cases` exactly as a chat message does.

    python -m medverk.cases.retrieval_eval            # the shipped set on the sample data
    python -m medverk.cases.retrieval_eval --misses   # also list every miss
    python -m medverk.cases.retrieval_eval --no-keywords  # lemmas and compounds only
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.cases.keywords import load_keywords
from medverk.cases.search import find_cases
from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.settings import PROJECT_ROOT

__all__ = ["RetrievalReport", "Row", "evaluate", "load_set", "sample_store"]

DEFAULT_SET = PROJECT_ROOT / "tests" / "medverk" / "cases" / "retrieval" / "retrieval_set.tsv"


@dataclass(frozen=True)
class Row:
    """One labelled phrasing."""

    text: str
    expected: frozenset[str]
    kind: str


@dataclass
class RetrievalReport:
    """Recall@1 and recall@3 over the rows that mean a case; no-match rows apart."""

    total: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    none_rows: int = 0
    none_correct: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    hits_by_kind: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @property
    def recall_at_1(self) -> float:
        return self.hits_at_1 / self.total if self.total else 0.0

    @property
    def recall_at_3(self) -> float:
        return self.hits_at_3 / self.total if self.total else 0.0

    @property
    def none_accuracy(self) -> float:
        return self.none_correct / self.none_rows if self.none_rows else 1.0

    def summary(self) -> dict[str, object]:
        return {
            "phrasings": self.total,
            "recall@1": round(self.recall_at_1, 3),
            "recall@3": round(self.recall_at_3, 3),
            "no_case_rows": self.none_rows,
            "no_case_answered_with_nothing": round(self.none_accuracy, 3),
            "recall@1_by_kind": {
                kind: round(self.hits_by_kind[kind] / count, 3)
                for kind, count in sorted(self.by_kind.items())
            },
        }


def load_set(path: Path = DEFAULT_SET) -> list[Row]:
    """The labelled rows of a retrieval set (lines starting with # are comments)."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for record in reader:
        expected = record["expected"].strip()
        refs = frozenset() if expected == "-" else frozenset(expected.split("|"))
        rows.append(Row(record["text"].strip(), refs, record["kind"].strip()))
    return rows


async def evaluate(
    sessionmaker: async_sessionmaker[AsyncSession], rows: list[Row]
) -> RetrievalReport:
    """Run every row through `find_cases` and count the hits."""
    report = RetrievalReport()
    async with sessionmaker() as session:
        for row in rows:
            found = await find_cases(session, row.text)
            shown = [item.case_ref for item in found.items]
            ranked = [item.case_ref for item in (found.ranked or found.items)]
            if not row.expected:
                report.none_rows += 1
                if not shown:
                    report.none_correct += 1
                else:
                    report.misses.append((row.text, "-", shown))
                continue
            report.total += 1
            report.by_kind[row.kind] += 1
            if ranked[:1] and ranked[0] in row.expected:
                report.hits_at_1 += 1
                report.hits_by_kind[row.kind] += 1
            else:
                report.misses.append((row.text, "|".join(sorted(row.expected)), ranked[:3]))
            if row.expected & set(ranked[:3]):
                report.hits_at_3 += 1
    return report


@contextlib.asynccontextmanager
async def sample_store(
    database_url: str, *, with_keywords: bool = True
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated database with the shipped sample cases (and their keywords) synced in."""
    from medverk.store.db import create_engine, create_sessionmaker
    from medverk.store.migrate import upgrade_head

    await asyncio.to_thread(upgrade_head, database_url)
    engine = create_engine(database_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        cases_dir = PROJECT_ROOT / "data" / "cases"
        result = await sync_cases(
            sessionmaker,
            FileCaseSource(cases_dir),
            keywords=load_keywords(cases_dir) if with_keywords else None,
        )
        if not result.ok:
            raise RuntimeError(f"sample sync failed: {result.error}")
        yield sessionmaker
    finally:
        await engine.dispose()


async def _main(path: Path, show_misses: bool, with_keywords: bool) -> int:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{directory}/retrieval.db"
        async with sample_store(url, with_keywords=with_keywords) as sessionmaker:
            report = await evaluate(sessionmaker, load_set(path))
    print(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    if show_misses:
        for text, expected, got in report.misses:
            print(f"MISS\t{text}\texpected {expected}\tgot {' '.join(got) or '-'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument(
        "--no-keywords", action="store_true", help="leave out the *.keywords.yml files"
    )
    args = parser.parse_args(argv)
    return asyncio.run(_main(args.set, args.misses, not args.no_keywords))


if __name__ == "__main__":
    sys.exit(main())
