"""Officers sharing the work on input: unread, assign, tag, notes, målform, and bulk.

Like `handling`, each function changes the input and writes the audit event in
the caller's transaction. A bulk action writes one audit event listing the ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.officers import handling
from medverk.store import officer_repo, workflow_repo
from medverk.store.models import Input, Officer
from medverk.store.models.workflow import MAX_TAG_LENGTH

__all__ = [
    "BULK_ACTIONS",
    "add_note",
    "add_tag",
    "assign",
    "bulk",
    "clean_tag",
    "mark_unread",
    "remove_tag",
    "set_malform",
]

BULK_ACTIONS = ("read", "unread", "assign", "tag", "hide")
MALFORMS = ("nn", "nb")


def _target(item: Input) -> str:
    return f"input:{item.id}"


def clean_tag(raw: str) -> str:
    """A tag as stored: spaces collapsed, at most 60 characters ("" when unusable)."""
    tag = " ".join(raw.split())
    return tag if 0 < len(tag) <= MAX_TAG_LENGTH and tag.isprintable() else ""


async def mark_unread(session: AsyncSession, officer: Officer, item: Input) -> None:
    """Read input becomes new again (answered or hidden input keeps its status)."""
    if item.status == "read":
        item.status = "new"
    await officer_repo.add_audit_event(
        session, officer=officer, action="mark_unread", target=_target(item)
    )
    await session.flush()


async def assign(
    session: AsyncSession, officer: Officer, item: Input, assignee: int | None
) -> None:
    """Give the input to a colleague (or to nobody)."""
    item.assigned_to = assignee
    await officer_repo.add_audit_event(
        session,
        officer=officer,
        action="assign",
        target=_target(item),
        detail=f"officer:{assignee}" if assignee else "nobody",
    )
    await session.flush()


async def add_tag(session: AsyncSession, officer: Officer, item: Input, tag: str) -> None:
    """Put a tag on the input (made on first use)."""
    if await workflow_repo.add_tag(session, item, tag, officer.username):
        await officer_repo.add_audit_event(
            session, officer=officer, action="tag", target=_target(item), detail=tag
        )


async def remove_tag(session: AsyncSession, officer: Officer, item: Input, tag: str) -> None:
    """Take a tag off the input."""
    if await workflow_repo.remove_tag(session, item, tag):
        await officer_repo.add_audit_event(
            session, officer=officer, action="untag", target=_target(item), detail=tag
        )


async def add_note(session: AsyncSession, officer: Officer, item: Input, text: str) -> None:
    """Add an internal note with the officer's name and the time."""
    text = text.strip()
    if not text:
        raise ValueError("a note needs text")
    await workflow_repo.add_note(session, item, officer, text[: handling.MAX_NOTE_LENGTH])
    await officer_repo.add_audit_event(
        session, officer=officer, action="note", target=_target(item)
    )


async def set_malform(session: AsyncSession, officer: Officer, item: Input, malform: str) -> None:
    """Correct the målform detected for the input (the answer goes out in it)."""
    if malform not in MALFORMS:
        raise ValueError(f"unknown målform {malform!r}")
    before = item.malform
    item.malform = malform
    await officer_repo.add_audit_event(
        session,
        officer=officer,
        action="set_malform",
        target=_target(item),
        detail=f"{before}->{malform}",
    )
    await session.flush()


async def bulk(
    session: AsyncSession,
    officer: Officer,
    items: Sequence[Input],
    action: str,
    *,
    reason: str = "",
    tag: str = "",
    assignee: int | None = None,
) -> int:
    """Apply one action to many inputs; returns how many were touched."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"unknown bulk action {action!r}")
    for item in items:
        if action == "read" and item.status == "new":
            item.status = "read"
        elif action == "unread" and item.status == "read":
            item.status = "new"
        elif action == "assign":
            item.assigned_to = assignee
        elif action == "tag":
            await workflow_repo.add_tag(session, item, tag, officer.username)
        elif action == "hide":
            item.status = "hidden"
            item.hidden_reason = reason[: handling.MAX_REASON_LENGTH]
    detail = {"assign": f"officer:{assignee}" if assignee else "nobody", "tag": tag}
    await officer_repo.add_audit_event(
        session,
        officer=officer,
        action=f"bulk_{action}",
        target="inputs",
        detail=(detail.get(action) or reason[:200]) + " ids=" + ",".join(str(i.id) for i in items),
    )
    await session.flush()
    return len(items)
