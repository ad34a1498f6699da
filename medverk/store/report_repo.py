"""The queries behind a case's report page (`medverk.officers.report`), and what officers
add to it: junk words and the summary.

Functions take an `AsyncSession` and never commit; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from medverk.clock import utcnow
from medverk.store.models import AgendaItem, Input, ReportJunkWord, ReportSummary

__all__ = [
    "add_junk_word",
    "case_exists",
    "case_title",
    "get_summary",
    "junk_words",
    "latest_decision",
    "newest_agenda_item",
    "remove_junk_word",
    "save_summary",
    "visible_input_rows",
]


async def visible_input_rows(
    session: AsyncSession, case_ref: str, columns: Sequence[InstrumentedAttribute[Any]]
) -> Sequence[Row[Any]]:
    """The given columns of a case's input that is not hidden, oldest first."""
    result = await session.execute(
        select(*columns)
        .where(Input.case_ref == case_ref, Input.status != "hidden")
        .order_by(Input.created_at, Input.id)
    )
    return result.all()


async def newest_agenda_item(session: AsyncSession, case_ref: str) -> AgendaItem | None:
    """The case's agenda item with the latest meeting, or None when the case is unknown."""
    result = await session.scalars(
        select(AgendaItem)
        .where(AgendaItem.case_ref == case_ref)
        .order_by(AgendaItem.meeting_date.desc())
    )
    return result.first()


async def latest_decision(session: AsyncSession, case_ref: str) -> str | None:
    """The text of the case's most recent decision, or None when there is none yet."""
    return await session.scalar(
        select(AgendaItem.decision)
        .where(AgendaItem.case_ref == case_ref, AgendaItem.decision.is_not(None))
        .order_by(AgendaItem.decision_date.desc())
        .limit(1)
    )


async def junk_words(session: AsyncSession, case_ref: str) -> list[str]:
    """The words removed from this case's word list, alphabetically."""
    rows = await session.scalars(
        select(ReportJunkWord.word)
        .where(ReportJunkWord.case_ref == case_ref)
        .order_by(ReportJunkWord.word)
    )
    return list(rows)


async def add_junk_word(session: AsyncSession, case_ref: str, word: str, officer: str) -> bool:
    """Remove `word` from the case's word list; False when it was removed already."""
    if await session.get(ReportJunkWord, (case_ref, word)) is not None:
        return False
    session.add(ReportJunkWord(case_ref=case_ref, word=word, created_by=officer))
    await session.flush()
    return True


async def remove_junk_word(session: AsyncSession, case_ref: str, word: str) -> bool:
    """Put `word` back in the case's word list; False when it was not removed."""
    result = await session.execute(
        delete(ReportJunkWord).where(
            ReportJunkWord.case_ref == case_ref, ReportJunkWord.word == word
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def get_summary(session: AsyncSession, case_ref: str) -> ReportSummary | None:
    """The officer's summary of this case's report, if one was written."""
    return await session.get(ReportSummary, case_ref)


async def save_summary(session: AsyncSession, case_ref: str, text: str, officer: str) -> None:
    """Store the summary (an empty text removes it)."""
    summary = await session.get(ReportSummary, case_ref)
    if not text:
        if summary is not None:
            await session.delete(summary)
        return
    if summary is None:
        session.add(ReportSummary(case_ref=case_ref, text=text, updated_by=officer))
    else:
        summary.text, summary.updated_by, summary.updated_at = text, officer, utcnow()
    await session.flush()


async def case_exists(session: AsyncSession, case_ref: str) -> bool:
    """Whether the case has input or case data (so it has a report)."""
    for column in (Input.case_ref, AgendaItem.case_ref):
        if await session.scalar(select(column).where(column == case_ref).limit(1)):
            return True
    return False


async def case_title(session: AsyncSession, case_ref: str) -> str:
    """The case's title: from the case data, else from its newest input ('' if neither)."""
    title = await session.scalar(
        select(AgendaItem.title)
        .where(AgendaItem.case_ref == case_ref)
        .order_by(AgendaItem.meeting_date.desc())
        .limit(1)
    )
    if title:
        return str(title)
    title = await session.scalar(
        select(Input.case_title)
        .where(Input.case_ref == case_ref)
        .order_by(Input.created_at.desc())
        .limit(1)
    )
    return str(title or "")
