"""What an officer does with one input: read, hide, note, answer.

Each function changes the input, writes the audit event, and (for answers)
queues the message to the citizen, all in the caller's transaction, so either
everything happens or nothing does.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.officers.texts import OfficerTexts
from medverk.store import inputs_repo, officer_repo, outbox_repo
from medverk.store.models import Input, Officer

__all__ = [
    "MAX_ANSWER_LENGTH",
    "MAX_NOTE_LENGTH",
    "MAX_REASON_LENGTH",
    "answer",
    "get_input",
    "hide",
    "mark_read",
    "save_note",
    "unhide",
    "view",
]

MAX_ANSWER_LENGTH = 3000
MAX_NOTE_LENGTH = 5000
MAX_REASON_LENGTH = 500


def _target(item: Input) -> str:
    return f"input:{item.id}"


async def get_input(session: AsyncSession, input_id: int) -> Input | None:
    """The input with this id, or None."""
    return await inputs_repo.get_input(session, input_id)


async def view(session: AsyncSession, officer: Officer, item: Input) -> None:
    """Record that the officer opened this input."""
    await officer_repo.add_audit_event(
        session, officer=officer, action="view_input", target=_target(item)
    )


async def mark_read(session: AsyncSession, officer: Officer, item: Input) -> None:
    """New input becomes read (answered or hidden input keeps its status)."""
    if item.status == "new":
        item.status = "read"
    await officer_repo.add_audit_event(
        session, officer=officer, action="mark_read", target=_target(item)
    )
    await session.flush()


async def hide(session: AsyncSession, officer: Officer, item: Input, reason: str) -> None:
    """Hide input (e.g. abusive) from the inbox and reports, keeping it stored."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is needed to hide input")
    item.status = "hidden"
    item.hidden_reason = reason[:MAX_REASON_LENGTH]
    await officer_repo.add_audit_event(
        session, officer=officer, action="hide", target=_target(item), detail=item.hidden_reason
    )
    await session.flush()


async def unhide(session: AsyncSession, officer: Officer, item: Input) -> None:
    """Show hidden input again (answered if it has an answer, else read)."""
    if item.status == "hidden":
        item.status = "answered" if item.answer else "read"
        item.hidden_reason = None
    await officer_repo.add_audit_event(
        session, officer=officer, action="unhide", target=_target(item)
    )
    await session.flush()


async def save_note(session: AsyncSession, officer: Officer, item: Input, note: str) -> None:
    """Set the internal note (empty clears it)."""
    item.internal_note = note.strip()[:MAX_NOTE_LENGTH] or None
    await officer_repo.add_audit_event(
        session, officer=officer, action="note", target=_target(item)
    )
    await session.flush()


async def answer(
    session: AsyncSession, officer: Officer, item: Input, text: str, texts: OfficerTexts
) -> None:
    """Store the answer on the input and queue it to the citizen in their målform."""
    text = text.strip()
    if not text:
        raise ValueError("an answer needs text")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValueError(f"an answer has at most {MAX_ANSWER_LENGTH} characters")
    item.answer = text
    item.answered_at = utcnow()
    item.answered_by = officer.id
    item.status = "answered"
    message = texts.citizen(
        "answer", item.malform, case_title=item.case_title, case_ref=item.case_ref, answer=text
    )
    await outbox_repo.enqueue(
        session,
        sender_key=item.sender_key,
        channel=item.channel,
        kind=outbox_repo.KIND_ANSWER,
        text=message,
        input_id=item.id,
    )
    await officer_repo.add_audit_event(
        session, officer=officer, action="answer", target=_target(item)
    )
    await session.flush()
