"""The per-case report for elected officials: who gave input, when, and what about.

Counts by age group, målform and channel, week by week (ISO weeks in the
municipality's time zone); the most frequent words, lemmatised with the
project's spaCy pipeline and without small words or the case's junk words
(`report_repo`); themes of similar texts (`medverk.officers.themes`); and every
input text with personal data masked. Hidden input is left out.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import TIMEZONE
from medverk.inputs.age import AGE_GROUPS
from medverk.inputs.personal_data import without_personal_data
from medverk.officers.report_groups import TextGroup, group_identical
from medverk.officers.themes import Theme, find_themes, lemma_lists
from medverk.store import report_repo
from medverk.store.models import Input

__all__ = [
    "DIMENSIONS",
    "NO_VALUE",
    "CaseReport",
    "ReportText",
    "build_report",
    "top_words",
    "value_order",
    "week_periods",
]

Lemmatiser = Callable[[str], list[str]]
DIMENSIONS = ("age_group", "malform", "channel")
# The value counted for input without an age group.
NO_VALUE = "none"
TOP_WORDS = 30
# Only what the report shows: loading whole rows costs seconds on big cases.
REPORT_COLUMNS = (
    Input.id,
    Input.created_at,
    Input.case_title,
    Input.committee,
    Input.text,
    Input.malform,
    Input.channel,
    Input.age_group,
    Input.sender_key,
)
# A word: a run of letters (digits, emoji and punctuation are never counted).
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ReportText:
    """One input in the report's list of all texts, personal data masked."""

    created_at: datetime
    channel: str
    age_group: str | None
    text: str
    had_personal_data: bool


@dataclass(frozen=True)
class CaseReport:
    """Everything the report page shows for one case."""

    case_ref: str
    case_title: str
    committee: str
    decision: str | None
    inputs: Sequence[Row[Any]]
    totals: dict[str, list[tuple[str, int]]]
    weeks: list[date]
    series: dict[str, dict[str, list[int]]]
    words: list[tuple[str, int]]
    groups: list[TextGroup] = field(default_factory=list)
    texts: list[ReportText] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    # Inputs in no theme shown (their theme too small, or past the last one shown).
    unthemed: int = 0
    junk_words: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of inputs in the report."""
        return len(self.inputs)


def _local_day(value: datetime) -> date:
    return value.astimezone(TIMEZONE).date()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_periods(days: Iterable[date]) -> list[date]:
    """Mondays of every week from the first to the last day given (no gaps)."""
    mondays = sorted({_monday(day) for day in days})
    if not mondays:
        return []
    weeks = [mondays[0]]
    while weeks[-1] < mondays[-1]:
        weeks.append(weeks[-1] + timedelta(days=7))
    return weeks


def value_order(value: str) -> tuple[int, int, str]:
    """Sort key: known age groups youngest first, then other values, 'none' last."""
    if value == NO_VALUE:
        return (2, 0, value)
    if value in AGE_GROUPS:
        return (0, AGE_GROUPS.index(value), value)
    return (1, 0, value)


def _value(item: Row[Any], dimension: str) -> str:
    return str(getattr(item, dimension) or NO_VALUE)


def top_words(
    texts: Iterable[str], lemmatise: Lemmatiser, stop_words: frozenset[str], limit: int = TOP_WORDS
) -> list[tuple[str, int]]:
    """The most frequent lemmas (letters only, 2+ characters, no stop words).

    The pipeline's lemmatiser looks words up one by one (no part of speech),
    so each distinct word form is lemmatised once and its count carried over:
    a case with tens of thousands of inputs costs only as many lookups as it
    has different words. Stop words are lemmatised too, so a small word the
    lemmatiser maps to another form (e.g. "vi") is still left out.
    """
    stop_words = stop_words | {lemma.lower() for word in stop_words for lemma in lemmatise(word)}
    forms: Counter[str] = Counter(
        match.group(0).lower() for text in texts for match in _WORD.finditer(text)
    )
    counts: Counter[str] = Counter()
    for form, seen in forms.items():
        for lemma in lemmatise(form):
            word = lemma.lower().strip("-'")
            if len(word) >= 2 and word.isalpha() and word not in stop_words:
                counts[word] += seen
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def _stop_words(extra: frozenset[str]) -> frozenset[str]:
    from spacy.lang.nb.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | extra


def _masked(item: Row[Any], text: str) -> ReportText:
    return ReportText(
        created_at=item.created_at,
        channel=item.channel,
        age_group=item.age_group,
        text=text,
        # Masking always puts "[…]" in, so a changed text had personal data.
        had_personal_data=text != item.text.strip(),
    )


def _words_and_themes(
    inputs: Sequence[Row[Any]], lemmatise: Lemmatiser, stop_words: frozenset[str], junk: list[str]
) -> tuple[list[tuple[str, int]], list[Theme], int, list[ReportText]]:
    """Top words without the junk words, the themes and the masked texts (CPU work, run
    in a thread)."""
    # Counted from the masked texts: a name or street in one input is no "word" of the case.
    texts = [without_personal_data(item.text) for item in inputs]
    counted = top_words(texts, lemmatise, stop_words, TOP_WORDS + len(junk))
    words = [(word, n) for word, n in counted if word not in junk][:TOP_WORDS]
    stop_words = stop_words | {lemma.lower() for word in stop_words for lemma in lemmatise(word)}
    lemmas = lemma_lists(texts, lemmatise, stop_words | frozenset(junk))
    themes, unthemed = find_themes(
        (item.text, item.sender_key, words_of)
        for item, words_of in zip(inputs, lemmas, strict=True)
    )
    return words, themes, unthemed, [_masked(i, t) for i, t in zip(inputs, texts, strict=True)]


async def build_report(
    session: AsyncSession, case_ref: str, lemmatise: Lemmatiser, extra_stop_words: frozenset[str]
) -> CaseReport | None:
    """The report for one case, or None when the case has neither input nor case data."""
    inputs = await report_repo.visible_input_rows(session, case_ref, REPORT_COLUMNS)
    agenda = await report_repo.newest_agenda_item(session, case_ref)
    if not inputs and agenda is None:
        return None
    decided = await report_repo.latest_decision(session, case_ref)
    days = [_local_day(item.created_at) for item in inputs]
    weeks = week_periods(days)
    index = {monday: position for position, monday in enumerate(weeks)}
    series: dict[str, dict[str, list[int]]] = {dimension: {} for dimension in DIMENSIONS}
    totals: dict[str, list[tuple[str, int]]] = {}
    for dimension in DIMENSIONS:
        counter: Counter[str] = Counter()
        for item, day in zip(inputs, days, strict=True):
            value = _value(item, dimension)
            counter[value] += 1
            row = series[dimension].setdefault(value, [0] * len(weeks))
            row[index[_monday(day)]] += 1
        totals[dimension] = sorted(counter.items(), key=lambda pair: value_order(pair[0]))
        series[dimension] = dict(
            sorted(series[dimension].items(), key=lambda pair: value_order(pair[0]))
        )
    junk = await report_repo.junk_words(session, case_ref)
    words, themes, unthemed, masked = await asyncio.to_thread(
        _words_and_themes, inputs, lemmatise, _stop_words(extra_stop_words), junk
    )
    first = inputs[0] if inputs else None
    return CaseReport(
        case_ref=case_ref,
        case_title=agenda.title if agenda else (first.case_title if first else ""),
        committee=agenda.committee if agenda else (first.committee if first else ""),
        decision=decided,
        inputs=inputs,
        totals=totals,
        weeks=weeks,
        series=series,
        words=words,
        groups=group_identical((item.text, item.sender_key) for item in inputs),
        texts=masked,
        themes=themes,
        unthemed=unthemed,
        junk_words=junk,
    )
