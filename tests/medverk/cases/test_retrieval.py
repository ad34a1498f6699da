"""Case retrieval on the labelled set of everyday phrasings (docs/retrieval.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medverk.cases.keywords import apply_keywords, load_keywords
from medverk.cases.records import CaseBatch
from medverk.cases.retrieval_eval import DEFAULT_SET, evaluate, load_set, sample_store
from medverk.cases.search import find_cases
from medverk.cases.sources import FileCaseSource
from medverk.settings import PROJECT_ROOT


def test_the_set_is_large_and_covers_both_malformer() -> None:
    """At least 200 phrasings that mean a case, in Nynorsk, Bokmål, dialect and with typos."""
    rows = load_set(DEFAULT_SET)
    kinds = {row.kind for row in rows if row.expected}
    assert sum(1 for row in rows if row.expected) >= 200
    assert {"nn", "nb", "dialekt", "skrivefeil"} <= kinds
    assert any(not row.expected for row in rows)


async def test_recall_on_the_labelled_set(database_url: str) -> None:
    """recall@1 ≥ 0.9 and recall@3 ≥ 0.97; a phrasing about no case returns nothing."""
    async with sample_store(database_url) as sessionmaker:
        report = await evaluate(sessionmaker, load_set(DEFAULT_SET))
    print(report.summary())
    assert report.recall_at_1 >= 0.9, report.misses
    assert report.recall_at_3 >= 0.97, report.misses
    assert report.none_accuracy == 1.0, report.misses


async def test_no_case_means_nothing_returned(database_url: str) -> None:
    """A topic no case is about gives no list at all, not the nearest random case."""
    async with sample_store(database_url) as sessionmaker, sessionmaker() as session:
        for text in ("lekser", "ferie i spania", "kor mykje er klokka"):
            found = await find_cases(session, text)
            assert found.kind == "none" and found.items == [] and found.ranked == [], text


async def test_keywords_file_names_a_case_its_text_does_not(database_url: str) -> None:
    """'gymsal' is in no case text; the keywords file gives it to the sports hall."""
    async with sample_store(database_url) as sessionmaker, sessionmaker() as session:
        found = await find_cases(session, "blir det ny gymsal?")
    assert found.single is not None and found.single.case_ref == "2026/421"


def test_keywords_file_accepts_short_numbers_and_skips_bad_entries(tmp_path: Path) -> None:
    """Keys as 26/260 or 2026/260; a key that is no case number, or not a list, is skipped."""
    (tmp_path / "x.keywords.yml").write_text(
        "26/260: [skeitpark]\n2026/260: [rampe]\nikkje-eit-nummer: [a]\n2026/1: berre tekst\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.keywords.yml").write_text("[: :", encoding="utf-8")
    assert load_keywords(tmp_path) == {"2026/260": ["skeitpark", "rampe"]}
    assert load_keywords(tmp_path / "missing") == {}


async def test_keywords_become_title_terms() -> None:
    """A keyword's terms are added after the title's own terms, marked apart."""
    batch = await FileCaseSource(PROJECT_ROOT / "data" / "cases").fetch()
    hall = next(item for item in batch.items if item.case_ref == "2026/421")
    changed = apply_keywords(CaseBatch(batch.meetings, [hall]), {"2026/421": ["gymsal"]})
    item = changed.items[0]
    assert item.topics.startswith(hall.topics + " | ")
    assert "gymsal" in item.topics.split() and " gymsal " in item.search_text


@pytest.mark.parametrize(
    "text",
    ["trafikktryggleiksplanen", "trafikksikkerhetsplanen", "kulturhuset sitt", "Loftet"],
)
async def test_issue_examples(database_url: str, text: str) -> None:
    """The examples the issue names come first."""
    expected = {
        "trafikktryggleiksplanen": "2027/21",
        "trafikksikkerhetsplanen": "2027/21",
        "kulturhuset sitt": "2024/1187",
        "Loftet": "2026/211",
    }[text]
    async with sample_store(database_url) as sessionmaker, sessionmaker() as session:
        found = await find_cases(session, text)
    assert found.items and found.items[0].case_ref == expected, found.items
