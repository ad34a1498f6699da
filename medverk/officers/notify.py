"""Tell citizens what was decided on a case they gave input on.

When the case data gets a decision (vedtak) for an agenda item, every citizen
who gave input on that case and asked to hear back gets one message, in the
målform of their input, through the channel they used. Hidden or anonymised
input is skipped. `Input.decision_notified_at` makes the job idempotent: it
can run every few minutes and never tells anyone twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.officers.texts import OfficerTexts
from medverk.store import decisions_repo, outbox_repo
from medverk.store.models import AgendaItem
from medverk.texts.dates import format_date

__all__ = ["MAX_DECISION_CHARS", "NotifyResult", "notify_decisions"]

# Telegram allows 4096 characters per message; leave room for the frame.
MAX_DECISION_CHARS = 3000


@dataclass(frozen=True)
class NotifyResult:
    """How many messages were queued, for how many cases."""

    messages: int
    cases: int


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_DECISION_CHARS else text[: MAX_DECISION_CHARS - 1] + "…"


def _decided_on(item: AgendaItem) -> date:
    if item.decision_date is not None:
        return item.decision_date
    return item.meeting_date.date() if item.meeting_date is not None else date.min


async def _decided_items(session: AsyncSession, case_refs: set[str]) -> dict[str, AgendaItem]:
    """The agenda item carrying the latest decision, per case."""
    rows = await decisions_repo.decided_agenda_items(session, case_refs)
    decided: dict[str, AgendaItem] = {}
    for item in rows:
        current = decided.get(item.case_ref)
        if current is None or (_decided_on(item), item.id) > (_decided_on(current), current.id):
            decided[item.case_ref] = item
    return decided


async def notify_decisions(session: AsyncSession, texts: OfficerTexts) -> NotifyResult:
    """Queue decision messages for everyone waiting on a decided case."""
    waiting = await decisions_repo.lock_inputs_awaiting_decision(session)
    if not waiting:
        return NotifyResult(messages=0, cases=0)
    decided = await _decided_items(session, {item.case_ref for item in waiting})
    now = utcnow()
    told: set[tuple[str, str, str]] = set()
    for item in waiting:
        agenda = decided.get(item.case_ref)
        if agenda is None or agenda.decision is None:
            continue
        recipient = (item.case_ref, item.sender_key, item.channel)
        if recipient not in told:
            values = {
                "case_title": agenda.title or item.case_title,
                "case_ref": item.case_ref,
                "decision": _shorten(agenda.decision),
            }
            if agenda.decision_date is not None:
                key = "decision_dated"
                # Written the way the chat writes dates: "24. september 2026".
                values["date"] = format_date(agenda.decision_date, item.malform, weekday=False)
            else:
                key = "decision"
            await outbox_repo.enqueue(
                session,
                sender_key=item.sender_key,
                channel=item.channel,
                kind=outbox_repo.KIND_DECISION,
                text=texts.citizen(key, item.malform, **values),
                input_id=item.id,
            )
            told.add(recipient)
        item.decision_notified_at = now
    await session.flush()
    return NotifyResult(messages=len(told), cases=len({case for case, _, _ in told}))
