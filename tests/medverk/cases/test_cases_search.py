"""Finding a case by number or by topic words written in Nynorsk, Bokmål or chat spelling."""

from __future__ import annotations

from typing import Any

import pytest

from medverk.cases.caseref import display_case_ref, find_case_refs, parse_case_ref
from medverk.cases.search import find_cases
from medverk.cases.sources import FileCaseSource
from medverk.cases.sync import sync_cases
from medverk.cases.terms import query_terms, stem
from medverk.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("kva går sak 24/1187 ut på?", "2024/1187"),
        ("2024/1187", "2024/1187"),
        ("sak 24-1187", "2024/1187"),
        ("sak 26/0412", "2026/412"),
        ("ingen nummer", None),
        ("123/45", None),
    ],
)
def test_case_numbers_in_any_form(text: str, ref: str | None) -> None:
    """Short and long years, dashes and leading zeros all give one canonical number."""
    assert parse_case_ref(text) == ref


def test_case_number_display_and_several() -> None:
    """Shown as `24/1187`; all numbers in a message are found in order."""
    assert display_case_ref("2024/1187") == "24/1187"
    assert find_case_refs("24/1187 eller 26/260") == ["2024/1187", "2026/260"]


def test_nynorsk_and_bokmal_forms_meet() -> None:
    """skule/skole, høyring/høring, vegen/veien stem to the same terms."""
    assert stem("skolen") == stem("skulen")
    assert stem("høringen") == stem("høyringa")
    assert query_terms("skoleveien") == query_terms("skulevegen")
    assert query_terms("kva skjer snart?") == []


@pytest.fixture
async def sample_store(sessionmaker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MEDVERK_TODAY", "2026-11-28")
    result = await sync_cases(sessionmaker, FileCaseSource(PROJECT_ROOT / "data" / "cases"))
    assert result.ok and result.items == 31
    return sessionmaker


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("når er høyringsfristen for kulturhussaka?", "2024/1187"),
        ("når er høringsfristen for kulturhuset?", "2024/1187"),
        ("ka skjer me skateparken", "2026/260"),
        ("skatepak", "2026/260"),
        ("hva skjer med skolen på Nordvik", "2027/10"),
        ("mobilfri skole", "2026/301"),
        ("gratis buss", "2026/411"),
        ("nattbussen", "2026/340"),
        ("idrettshallen", "2026/421"),
        ("sommerjobb", "2026/231"),
        ("badeplassene", "2027/50"),
        ("gang- og sykkelvei", "2026/370"),
    ],
)
async def test_topic_words_find_the_one_case(sample_store: Any, question: str, ref: str) -> None:
    """Each question names one case clearly enough to answer it directly."""
    async with sample_store() as session:
        found = await find_cases(session, question)
    assert found.kind == "by_topic"
    assert found.single is not None, [i.case_ref for i in found.items]
    assert found.single.case_ref == ref


async def test_shared_topic_gives_a_short_list(sample_store: Any) -> None:
    """'budsjettet' matches several cases: a list to pick from, no guess."""
    async with sample_store() as session:
        found = await find_cases(session, "budsjettet")
    assert found.single is None
    assert {"2026/402", "2026/420"} <= {item.case_ref for item in found.items}
    assert len(found.items) <= 5


async def test_a_short_title_word_counts_as_the_first_part_of_a_compound(
    sample_store: Any,
) -> None:
    """'busstilbodet' is not only the climate statement that mentions 'busstilbod':
    the bus cases, with 'buss' in their titles, are offered too."""
    async with sample_store() as session:
        found = await find_cases(session, "busstilbodet")
    refs = [item.case_ref for item in found.items]
    assert found.single is None
    assert "2026/411" in refs or "2026/340" in refs


async def test_close_candidates_come_best_first(sample_store: Any) -> None:
    """Two cases share the words and both start their titles with them: both are
    offered, the better match first."""
    async with sample_store() as session:
        found = await find_cases(session, "budsjettet til ungdomsrådet")
    assert [item.case_ref for item in found.items][:2] == ["2026/341", "2026/410"]


async def test_the_case_named_by_its_titles_first_word_wins_over_one_that_mentions_it(
    sample_store: Any,
) -> None:
    """'klimaplanen' is «Klimaplan 2027–2035», not «Ungdomsrådet si fråsegn til
    klimaplanen»; 'trafikksikkerhet på skoleveien' is the case titled just that."""
    async with sample_store() as session:
        climate = await find_cases(session, "klimaplanen")
        school_road = await find_cases(session, "trafikksikkerhet på skoleveien")
    assert climate.single is not None and climate.single.case_ref == "2027/20"
    assert school_road.single is not None and school_road.single.case_ref == "2026/210"


async def test_words_that_match_different_cases_find_none(sample_store: Any) -> None:
    """'fotballbanen i Nordvik': one case matches the place, another the sport; no case
    is about a football pitch, so nothing is found (the answer says so honestly)."""
    async with sample_store() as session:
        found = await find_cases(session, "hva skjer med fotballbanen i Nordvik?")
    assert found.kind == "none"
    assert found.items == []
    assert found.terms


async def test_unknown_number_has_closest_numbers(sample_store: Any) -> None:
    """An unknown number finds nothing, and the nearest known numbers are offered."""
    async with sample_store() as session:
        found = await find_cases(session, "sak 24/1188")
    assert found.kind == "none"
    assert found.case_ref == "2024/1188"
    assert [item.case_ref for item in found.closest][:1] == ["2024/1187"]


async def test_nothing_about_pizza(sample_store: Any) -> None:
    """A topic no case is about gives no match, not the nearest random case."""
    async with sample_store() as session:
        found = await find_cases(session, "pizza")
    assert found.kind == "none"
    assert found.items == []


def test_terms_come_from_the_spacy_pipeline() -> None:
    """Search uses the project's spaCy lemmas (not the plain-word fallback): 'saka' → 'sak'."""
    from medverk.cases import terms

    assert terms._lemmatizer() is not terms._plain_words
    pairs = terms._lemmatizer()("Saka om skulane")
    assert ("saka", "sak") in pairs


async def test_the_form_takes_the_case_the_whole_message_names_when_its_topic_fits_many(
    sample_store: Any,
) -> None:
    """'jeg vil gi innspill på nordvik skole' with only 'skole' as the topic: several
    open cases fit 'skole', the message's own words name Nordvik skule."""
    from medverk.clock import today
    from medverk.inputs.case_choice import choose_case

    async with sample_store() as session:
        topic_only = await choose_case(session, "skole", today())
        whole = await choose_case(session, "skole", today(), whole_message="nordvik skole")
    assert topic_only.outcome == "ambiguous"
    assert whole.outcome == "found" and whole.case_ref == "2027/10"
