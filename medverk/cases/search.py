"""Find the case a user means: by case number, or by topic words in any målform.

`find_cases` answers with one of three outcomes: the case number matched
(`by_ref`), topic words matched one or a few cases (`by_topic`, ranked), or
nothing matched (`items` empty, `closest` holds the nearest case numbers for
an unknown number).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.cases.caseref import find_case_refs, parse_case_ref
from medverk.cases.keywords import KEYWORD_MARK
from medverk.cases.terms import query_terms
from medverk.store import cases_repo
from medverk.store.models.cases import AgendaItem

__all__ = ["CaseSearch", "find_cases", "rank", "term_score"]

_Rankable = TypeVar("_Rankable", cases_repo.Candidate, AgendaItem)

# A single answer needs a clear winner: the best score this many times the next.
_CLEAR_WINNER = 1.5
_TITLE_WEIGHT = 1.5
# A title word this long may be the first part of a compound the user wrote.
_TITLE_MIN_HEAD = 4
_MAX_RESULTS = 5
# A search whose best case scores less than this found nothing ("leks" in "leksehjelp").
_MIN_SCORE = 0.75
_COVERAGE_BONUS = 0.3
# A long message is searched by its first words only: they name the case, if any.
_MAX_TERMS = 8
# A query term matches a case word this well or better: it is about that word.
_TERM_MATCH = 0.5


@dataclass
class CaseSearch:
    """The outcome of a search; `items` best first."""

    kind: Literal["by_ref", "by_topic", "none"]
    items: list[AgendaItem] = field(default_factory=list)
    case_ref: str | None = None
    terms: list[str] = field(default_factory=list)
    closest: list[AgendaItem] = field(default_factory=list)
    # Every case the topic words matched, best first, one item per case number (at most 5).
    ranked: list[AgendaItem] = field(default_factory=list)

    @property
    def single(self) -> AgendaItem | None:
        """The one case meant, when there is exactly one."""
        return self.items[0] if len(self.items) == 1 else None


def term_score(query: str, term: str, *, min_head: int = 5) -> float:
    """How well one query term matches one case term (0 = not at all, 1 = same word).

    `min_head` is the shortest case term that counts as the first part of a
    compound in the query; title words may be shorter ("buss" in "busstilbodet").
    """
    if query == term:
        return 1.0
    if len(query) >= 4 and term.startswith(query):
        return 0.5 + 0.5 * len(query) / len(term)
    if len(term) >= min_head and query.startswith(term):
        # A compound asked about by its first part: "kulturhussak" → "kulturhus".
        return 0.4 + 0.5 * len(term) / len(query)
    if len(query) >= 5 and term.endswith(query):
        # The last part of a compound is its head: "bibliotek" → "skulebibliotek".
        return 0.45 + 0.5 * len(query) / len(term)
    if len(term) >= min_head + 1 and query.endswith(term):
        # A compound asked about by its last part: "kommunebudsjett" → "budsjett".
        return 0.4 + 0.5 * len(term) / len(query)
    if len(query) >= 4 and query in term:
        return 0.3 + 0.4 * len(query) / len(term)
    return 0.0


def _score(item: cases_repo.Candidate | AgendaItem, terms: list[str]) -> float:
    """The sum of each query term's best match, title and keyword terms weighted up,
    plus a small bonus for the share of the title's own words the query names, so
    "budsjettet til ungdomsrådet" prefers the case titled just that."""
    title_part, _, keyword_part = item.topics.partition(f" {KEYWORD_MARK} ")
    own_title = title_part.split()
    title_terms = set(own_title) | set(keyword_part.split())
    case_terms = item.search_text.split()
    named: set[str] = set()
    total = 0.0
    for query in terms:
        if query in title_terms:
            # The best any term can score: no need to look further.
            total += _TITLE_WEIGHT
            named.add(query)
            continue
        best, best_term = 0.0, ""
        for term in case_terms:
            in_title = term in title_terms
            score = term_score(query, term, min_head=_TITLE_MIN_HEAD if in_title else 5)
            if score and in_title:
                score *= _TITLE_WEIGHT
            if score > best:
                best, best_term = score, term
        total += best
        if best >= _TITLE_WEIGHT * 0.5:
            named.add(best_term)
    if total and own_title:
        total += _COVERAGE_BONUS * len(named & set(own_title)) / len(own_title)
    return total


def _matched_terms(item: cases_repo.Candidate | AgendaItem, terms: list[str]) -> set[str]:
    """The query terms that match some word of the case well."""
    case_terms = item.search_text.split()
    return {
        query
        for query in terms
        if any(term_score(query, term) >= _TERM_MATCH for term in case_terms)
    }


def _names_head(item: cases_repo.Candidate | AgendaItem, terms: list[str]) -> bool:
    """Whether a query term is the first word of the case's title: "klimaplanen" names
    «Klimaplan 2027–2035», and only mentions «Ungdomsrådet si fråsegn til klimaplanen»."""
    own_title = item.topics.partition(f" {KEYWORD_MARK} ")[0].split()
    return bool(own_title) and own_title[0] in terms


def _narrowed(ranked: list[tuple[float, AgendaItem]], terms: list[str]) -> list[AgendaItem] | None:
    """Of cases that match about equally well: the one the words name by its title's head
    word ([item]), none when they match different words of the message and so no case
    is about all of it ("fotballbanen i Nordvik": [] ), else None (ask which one)."""
    items = _dedupe_refs([item for _, item in ranked])
    heads = [item for item in items if _names_head(item, terms)]
    if len(heads) == 1:
        return heads
    matched = [_matched_terms(item, terms) for item in items[:2]]
    if len(set(terms)) > 1 and len(matched) == 2 and not matched[0] & matched[1]:
        return []
    return None


def rank(items: Sequence[_Rankable], terms: list[str]) -> list[tuple[float, _Rankable]]:
    """Items with a positive score for `terms`, best first."""
    scored = [(_score(item, terms), item) for item in items]
    positive = [(score, item) for score, item in scored if score >= _MIN_SCORE]
    # Equal scores: the newest meeting first (people ask about current cases).
    positive.sort(key=lambda pair: _newest_first(pair[1]))
    positive.sort(key=lambda pair: -pair[0])
    return positive


def _newest_first(item: cases_repo.Candidate | AgendaItem) -> tuple[int, float, str]:
    when = item.meeting_date
    if when is None:
        return (1, 0.0, item.case_ref)
    return (0, -when.timestamp(), item.case_ref)


async def _fuzzy_terms(session: AsyncSession, terms: list[str]) -> list[str]:
    """Case words close to misspelt query words ("skatepak" → "skatepark")."""
    vocabulary: set[str] = set()
    for topics in await cases_repo.distinct_topics(session):
        vocabulary.update(topics.split())
    fixed: list[str] = []
    for term in terms:
        if len(term) >= 4:
            fixed.extend(difflib.get_close_matches(term, vocabulary, n=2, cutoff=0.8))
    return fixed


async def _by_terms(session: AsyncSession, terms: list[str]) -> list[tuple[float, AgendaItem]]:
    """Ranked agenda items: candidates ranked on their terms, then the best loaded whole."""
    ranked = rank(await cases_repo.search_candidates(session, terms), terms)
    if not ranked:
        fixed = await _fuzzy_terms(session, terms)
        if fixed:
            ranked = rank(await cases_repo.search_candidates(session, fixed), fixed)
    best = ranked[: _MAX_RESULTS * 4]
    items = await cases_repo.items_by_ids(session, [candidate.id for _, candidate in best])
    by_id = {item.id: item for item in items}
    return [(score, by_id[c.id]) for score, c in best if c.id in by_id]


def _dedupe_refs(items: list[AgendaItem]) -> list[AgendaItem]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.case_ref not in seen:
            seen.add(item.case_ref)
            unique.append(item)
    return unique


async def find_cases(
    session: AsyncSession, text: str, *, case_ref: str | None = None, topic: str | None = None
) -> CaseSearch:
    """The cases meant by a message: its case number first, then its topic words."""
    ref = parse_case_ref(case_ref or "") or next(iter(find_case_refs(text)), None)
    if ref:
        items = await cases_repo.find_by_ref(session, ref)
        if items:
            return CaseSearch("by_ref", items=items, case_ref=ref)
        closest = await cases_repo.nearby_refs(session, ref)
        return CaseSearch("none", case_ref=ref, closest=closest)
    # The NLU's topic entity is often one word of what was written ("buss" in "gratis
    # buss"): the whole text says more, so the topic alone counts only when the text
    # lacks its words (a button's entity, a topic the text does not spell out).
    text_terms = query_terms(text)
    topic_terms = query_terms(topic) if topic else []
    terms = topic_terms if topic_terms and not set(topic_terms) <= set(text_terms) else text_terms
    terms = terms[:_MAX_TERMS]
    if not terms:
        return CaseSearch("none")
    ranked = await _by_terms(session, terms)
    if not ranked:
        return CaseSearch("none", terms=terms)
    best = ranked[0][0]
    ordered = _dedupe_refs([item for _, item in ranked])[:_MAX_RESULTS]
    if len(ranked) == 1 or best >= _CLEAR_WINNER * ranked[1][0]:
        return CaseSearch("by_topic", items=[ranked[0][1]], terms=terms, ranked=ordered)
    close = [(score, item) for score, item in ranked if score >= best / _CLEAR_WINNER]
    narrowed = _narrowed(close, terms)
    if narrowed == []:
        return CaseSearch("none", terms=terms, ranked=ordered)
    if narrowed:
        return CaseSearch("by_topic", items=narrowed, terms=terms, ranked=ordered)
    items = _dedupe_refs([item for _, item in close])[:_MAX_RESULTS]
    return CaseSearch("by_topic", items=items, terms=terms, ranked=ordered)
