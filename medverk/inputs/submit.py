"""Stores a finished draft exactly once, before the citizen is told it arrived."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medverk.identity import channel_of, sender_key
from medverk.inputs.abuse import current_abuse_list
from medverk.inputs.draft import InputDraft
from medverk.store.inputs_repo import add_input_once
from medverk.store.models import Input

__all__ = ["StoreUnavailable", "SubmitResult", "submit_input"]

log = logging.getLogger(__name__)

SUBMIT_TIMEOUT_SECONDS = 8.0


class StoreUnavailable(ConnectionError):
    """The input could not be stored (database down or transaction failed)."""


@dataclass(frozen=True)
class SubmitResult:
    """The stored input's id, and whether this call stored it (False: it was already there)."""

    input_id: int
    created: bool


async def _store(
    sessionmaker: async_sessionmaker[AsyncSession],
    draft: InputDraft,
    key: str,
    channel: str,
) -> SubmitResult:
    async with sessionmaker.begin() as session:
        row, created = await add_input_once(
            session,
            Input(
                idempotency_key=draft.idempotency_key,
                case_ref=draft.case_ref,
                case_title=draft.case_title,
                committee=draft.committee,
                text=draft.text,
                malform=draft.malform,
                channel=channel,
                age_group=draft.age_group,
                consent_contact=draft.consent_contact,
                contact=draft.contact if draft.consent_contact else None,
                wants_reply=draft.consent_contact,
                sender_key=key,
                status="new",
                abuse_flag=current_abuse_list().flags(draft.text),
            ),
        )
        return SubmitResult(row.id, created)


async def submit_input(
    sessionmaker: async_sessionmaker[AsyncSession],
    draft: InputDraft,
    *,
    sender_id: str,
    secret: str,
    timeout: float = SUBMIT_TIMEOUT_SECONDS,
) -> SubmitResult:
    """Store `draft` for `sender_id` in one transaction; idempotent on its key.

    Raises `StoreUnavailable` when the database cannot be reached or the
    commit fails; then nothing was stored, or a later retry finds the row.
    """
    key = sender_key(secret, sender_id)
    try:
        return await asyncio.wait_for(
            _store(sessionmaker, draft, key, channel_of(sender_id)), timeout
        )
    except (asyncio.TimeoutError, OperationalError, DBAPIError, OSError) as exc:
        log.warning("storing input failed: %s", type(exc).__name__)
        raise StoreUnavailable("the input store is unavailable") from exc
    except SQLAlchemyError as exc:
        log.exception("storing input failed")
        raise StoreUnavailable("the input could not be stored") from exc
