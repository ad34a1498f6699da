"""A case's texts in the målform a person reads: the original or its stored translation.

The translation is made at sync time (`medverk.cases.translations`); these
look-ups never translate. Every function takes an `AsyncSession` and never
commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.cases.translations import TRANSLATED_FIELDS
from medverk.settings import Malform
from medverk.store.models.cases import AgendaItem, CaseTranslation

__all__ = ["CaseText", "case_text", "case_texts", "replace_translations", "stored_translations"]

_CHUNK = 500


@dataclass(frozen=True)
class CaseText:
    """An agenda item's title, description, proposal and decision in one målform.

    `malform` is the målform the texts are in. `machine_translated` is true when
    they are a machine translation of the original (in `original_malform`).
    `translation_missing` is true when another målform was wanted but no good
    translation is stored: the texts are then the original, to show with a note.
    """

    item_id: str
    malform: Malform | None
    title: str
    summary: str | None
    recommendation: str | None
    decision: str | None
    machine_translated: bool
    original_malform: Malform | None
    translation_missing: bool


def _original(item: AgendaItem, original: Malform | None, wanted: Malform) -> CaseText:
    return CaseText(
        item_id=item.id,
        malform=original,
        title=item.title,
        summary=item.summary,
        recommendation=item.recommendation,
        decision=item.decision,
        machine_translated=False,
        original_malform=original,
        translation_missing=original != wanted,
    )


def _text(item: AgendaItem, wanted: Malform, rows: dict[str, CaseTranslation]) -> CaseText:
    row = rows.get(wanted)
    any_row = row or next(iter(rows.values()), None)
    original = cast(Malform, any_row.source_malform) if any_row is not None else None
    if original == wanted or row is None or not row.ok:
        return _original(item, original, wanted)
    return CaseText(
        item_id=item.id,
        malform=wanted,
        title=row.title or item.title,
        summary=row.summary if item.summary else None,
        recommendation=row.recommendation if item.recommendation else None,
        decision=row.decision if item.decision else None,
        machine_translated=True,
        original_malform=original,
        translation_missing=False,
    )


async def case_texts(
    session: AsyncSession, items: Sequence[AgendaItem], malform: Malform
) -> dict[str, CaseText]:
    """Item id → its texts in `malform` (translated when the original is the other one)."""
    ids = [item.id for item in items]
    rows: dict[str, dict[str, CaseTranslation]] = {item_id: {} for item_id in ids}
    for start in range(0, len(ids), _CHUNK):
        query = select(CaseTranslation).where(
            CaseTranslation.item_id.in_(ids[start : start + _CHUNK])
        )
        for row in await session.scalars(query):
            rows[row.item_id][row.malform] = row
    return {item.id: _text(item, malform, rows[item.id]) for item in items}


async def case_text(session: AsyncSession, item: AgendaItem, malform: Malform) -> CaseText:
    """One item's texts in `malform`."""
    return (await case_texts(session, [item], malform))[item.id]


async def stored_translations(session: AsyncSession) -> dict[tuple[str, str], dict[str, Any]]:
    """Every stored translation row by (item id, målform), for the next sync to reuse."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in await session.scalars(select(CaseTranslation)):
        found[(row.item_id, row.malform)] = {
            "item_id": row.item_id,
            "malform": row.malform,
            "source_malform": row.source_malform,
            "source_hash": row.source_hash,
            "ok": row.ok,
            **{name: getattr(row, name) for name in TRANSLATED_FIELDS},
            "engine": row.engine,
            "error": row.error,
            "translated_at": row.translated_at,
        }
    return found


async def replace_translations(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Make the stored translations exactly `rows` (inside the sync's transaction)."""
    await session.execute(delete(CaseTranslation))
    for start in range(0, len(rows), _CHUNK):
        await session.execute(insert(CaseTranslation), list(rows[start : start + _CHUNK]))
