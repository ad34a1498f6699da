"""Queries for officers' shared work: bulk selections, tags, notes, assignment, case counts.

Functions take a session and never commit; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import Input, InputNote, InputTag, Officer
from medverk.store.search import contains_pattern

__all__ = [
    "CaseCount",
    "add_note",
    "add_tag",
    "case_counts",
    "case_tags",
    "inputs_by_ids",
    "next_matching",
    "notes_of",
    "officer_names",
    "remove_tag",
    "tag_counts",
    "tagged_with",
    "tags_of",
    "waiting_for_answer",
]

MAX_BULK = 1000


async def inputs_by_ids(session: AsyncSession, ids: Iterable[int]) -> Sequence[Input]:
    """The inputs with these ids (unknown ids are left out), newest first."""
    wanted = sorted(set(ids))[:MAX_BULK]
    if not wanted:
        return []
    return (
        await session.scalars(
            select(Input)
            .where(Input.id.in_(wanted))
            .order_by(Input.created_at.desc(), Input.id.desc())
        )
    ).all()


async def next_matching(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], after: Input | None
) -> int | None:
    """The id of the next input in inbox order (newest first) after `after` that meets
    `conditions`; from the top when nothing follows it (or `after` is None)."""
    order = (Input.created_at.desc(), Input.id.desc())
    if after is not None:
        later = or_(
            Input.created_at < after.created_at,
            and_(Input.created_at == after.created_at, Input.id < after.id),
        )
        found = await session.scalar(
            select(Input.id).where(*conditions, later, Input.id != after.id).order_by(*order)
        )
        if found is not None:
            return int(found)
    exclude = [Input.id != after.id] if after is not None else []
    found = await session.scalar(
        select(Input.id).where(*conditions, *exclude).order_by(*order).limit(1)
    )
    return int(found) if found is not None else None


def tagged_with(tag: str) -> ColumnElement[bool]:
    """SQL condition: the input carries `tag`."""
    return Input.id.in_(select(InputTag.input_id).where(InputTag.tag == tag))


def waiting_for_answer() -> ColumnElement[bool]:
    """SQL condition: the citizen wants an answer and has none yet (hidden input aside)."""
    return and_(Input.wants_reply.is_(True), Input.status.in_(("new", "read")))


async def add_tag(session: AsyncSession, item: Input, tag: str, created_by: str) -> bool:
    """Put `tag` on the input; False when it was there already."""
    existing = await session.get(InputTag, (item.id, tag))
    if existing is not None:
        return False
    session.add(
        InputTag(
            input_id=item.id,
            tag=tag,
            case_ref=item.case_ref,
            created_by=created_by[:100],
            created_at=utcnow(),
        )
    )
    await session.flush()
    return True


async def remove_tag(session: AsyncSession, item: Input, tag: str) -> bool:
    """Take `tag` off the input; False when it was not there."""
    result = await session.execute(
        delete(InputTag).where(InputTag.input_id == item.id, InputTag.tag == tag)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def tags_of(session: AsyncSession, ids: Iterable[int]) -> dict[int, list[str]]:
    """The tags of each input, alphabetically."""
    wanted = list(set(ids))
    tags: dict[int, list[str]] = {}
    if not wanted:
        return tags
    rows = await session.execute(
        select(InputTag.input_id, InputTag.tag)
        .where(InputTag.input_id.in_(wanted))
        .order_by(InputTag.tag)
    )
    for input_id, tag in rows.all():
        tags.setdefault(int(input_id), []).append(str(tag))
    return tags


async def case_tags(session: AsyncSession, case_ref: str | None = None) -> list[str]:
    """Tags in use (on one case, or on any), alphabetically: what officers pick from."""
    query = select(InputTag.tag).distinct().order_by(InputTag.tag)
    if case_ref:
        query = query.where(InputTag.case_ref == case_ref)
    return [str(tag) for tag in (await session.scalars(query)).all()]


async def tag_counts(session: AsyncSession, case_ref: str) -> list[tuple[str, int]]:
    """How many visible (not hidden) inputs on the case carry each tag, most first."""
    count = func.count()
    rows = await session.execute(
        select(InputTag.tag, count)
        .join(Input, Input.id == InputTag.input_id)
        .where(InputTag.case_ref == case_ref, Input.status != "hidden")
        .group_by(InputTag.tag)
        .order_by(count.desc(), InputTag.tag)
    )
    return [(str(tag), int(n)) for tag, n in rows.all()]


async def add_note(session: AsyncSession, item: Input, officer: Officer, text: str) -> InputNote:
    """Add a note by `officer` to the input (notes are never overwritten)."""
    note = InputNote(
        input_id=item.id,
        officer_id=officer.id,
        officer_username=officer.username,
        text=text,
        created_at=utcnow(),
    )
    session.add(note)
    await session.flush()
    return note


async def notes_of(session: AsyncSession, input_id: int) -> Sequence[InputNote]:
    """The input's notes, oldest first."""
    return (
        await session.scalars(
            select(InputNote)
            .where(InputNote.input_id == input_id)
            .order_by(InputNote.created_at, InputNote.id)
        )
    ).all()


async def officer_names(session: AsyncSession) -> list[tuple[int, str, bool]]:
    """(id, shown name, active) of every officer, by shown name."""
    rows = await session.execute(
        select(Officer.id, Officer.username, Officer.display_name, Officer.active)
    )
    named = [(int(i), (display or username), bool(active)) for i, username, display, active in rows]
    return sorted(named, key=lambda row: row[1].lower())


@dataclass(frozen=True)
class CaseCount:
    """One case with its numbers of input, for the searchable case list."""

    case_ref: str
    case_title: str
    committee: str
    total: int
    new: int
    waiting: int
    latest: datetime | None


async def case_counts(session: AsyncSession, words: str = "") -> list[CaseCount]:
    """Every case with input (hidden left out), optionally those whose number, title
    or committee contain `words`; newest input first."""
    newest = select(func.max(Input.id)).group_by(Input.case_ref).scalar_subquery()
    names = (
        select(Input.case_ref, Input.case_title, Input.committee)
        .where(Input.id.in_(newest))
        .subquery()
    )
    counts = (
        select(
            Input.case_ref,
            func.count().label("total"),
            func.sum(case((Input.status == "new", 1), else_=0)).label("new"),
            func.sum(case((waiting_for_answer(), 1), else_=0)).label("waiting"),
            func.max(Input.created_at).label("latest"),
        )
        .where(Input.status != "hidden")
        .group_by(Input.case_ref)
        .subquery()
    )
    query = select(
        names.c.case_ref,
        names.c.case_title,
        names.c.committee,
        counts.c.total,
        counts.c.new,
        counts.c.waiting,
        counts.c.latest,
    ).join(counts, counts.c.case_ref == names.c.case_ref)
    for word in words.split()[:5]:
        pattern = contains_pattern(word)
        query = query.where(
            or_(
                names.c.case_ref.ilike(pattern, escape="\\"),
                names.c.case_title.ilike(pattern, escape="\\"),
                names.c.committee.ilike(pattern, escape="\\"),
            )
        )
    rows = (await session.execute(query.order_by(counts.c.latest.desc()))).all()
    return [
        CaseCount(
            case_ref=str(ref),
            case_title=str(title or ""),
            committee=str(committee or ""),
            total=int(total or 0),
            new=int(new or 0),
            waiting=int(waiting or 0),
            latest=latest,
        )
        for ref, title, committee, total, new, waiting, latest in rows
    ]
