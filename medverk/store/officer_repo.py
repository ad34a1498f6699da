"""Officer accounts, their server-side sessions and the audit log.

Functions take an `AsyncSession` and never commit; the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medverk.clock import utcnow
from medverk.store.models import AuditEvent, Officer, OfficerSession
from medverk.store.search import contains_pattern

__all__ = [
    "AuditFilter",
    "add_audit_event",
    "add_officer",
    "add_session",
    "audit_actions",
    "count_audit_events",
    "count_login_attempt",
    "delete_expired_sessions",
    "delete_session",
    "delete_sessions_of",
    "get_officer",
    "get_officer_by_username",
    "get_session",
    "list_audit_events",
    "list_officers",
    "lock_officer",
    "record_login",
]


async def add_officer(
    session: AsyncSession,
    *,
    username: str,
    display_name: str,
    password_hash: str,
    role: str,
) -> Officer:
    """Insert an officer account and flush it (so it has an id)."""
    officer = Officer(
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        role=role,
        active=True,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(officer)
    await session.flush()
    return officer


async def get_officer(session: AsyncSession, officer_id: int) -> Officer | None:
    """The officer with this id, or None."""
    return await session.get(Officer, officer_id)


async def get_officer_by_username(session: AsyncSession, username: str) -> Officer | None:
    """The officer with this username (case-insensitive), or None."""
    officer: Officer | None = await session.scalar(
        select(Officer).where(func.lower(Officer.username) == username.strip().lower())
    )
    return officer


async def count_login_attempt(session: AsyncSession, officer_id: int, now: datetime) -> int | None:
    """Add one to the account's failed-login count in a single statement, unless it is locked.

    Returns the new count, or None when the account is locked. Counting before the password
    is checked, atomically in the database, means parallel attempts cannot all read the same
    count (several gateway processes included).
    """
    count: int | None = await session.scalar(
        update(Officer)
        .where(Officer.id == officer_id)
        .where(or_(Officer.locked_until.is_(None), Officer.locked_until <= now))
        .values(failed_logins=func.coalesce(Officer.failed_logins, 0) + 1)
        .returning(Officer.failed_logins)
        .execution_options(synchronize_session=False)
    )
    return count


async def lock_officer(session: AsyncSession, officer_id: int, until: datetime) -> None:
    """Lock the account until `until` and start its failure count again."""
    await session.execute(
        update(Officer)
        .where(Officer.id == officer_id)
        .values(locked_until=until, failed_logins=0)
        .execution_options(synchronize_session=False)
    )


async def record_login(session: AsyncSession, officer_id: int, now: datetime) -> None:
    """A good password: clear the failure count and the lock, note the time."""
    await session.execute(
        update(Officer)
        .where(Officer.id == officer_id)
        .values(failed_logins=0, locked_until=None, last_login_at=now)
        .execution_options(synchronize_session=False)
    )


async def list_officers(session: AsyncSession) -> Sequence[Officer]:
    """All officer accounts, by username."""
    return (await session.scalars(select(Officer).order_by(Officer.username))).all()


async def add_session(
    session: AsyncSession,
    *,
    token_hash: str,
    officer_id: int,
    csrf_token: str,
    expires_at: datetime,
) -> OfficerSession:
    """Store a new login session (only the hash of its token)."""
    now = utcnow()
    row = OfficerSession(
        token_hash=token_hash,
        officer_id=officer_id,
        csrf_token=csrf_token,
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row


async def get_session(
    session: AsyncSession, token_hash: str
) -> tuple[OfficerSession, Officer] | None:
    """The session with this token hash and its officer, or None."""
    row = (
        await session.execute(
            select(OfficerSession, Officer)
            .join(Officer, Officer.id == OfficerSession.officer_id)
            .where(OfficerSession.token_hash == token_hash)
        )
    ).first()
    if row is None:
        return None
    return row[0], row[1]


async def delete_session(session: AsyncSession, token_hash: str) -> None:
    """End one session."""
    await session.execute(delete(OfficerSession).where(OfficerSession.token_hash == token_hash))


async def delete_sessions_of(
    session: AsyncSession, officer_id: int, *, keep_hash: str | None = None
) -> int:
    """End every session of an officer (disable, password reset); returns how many.

    `keep_hash` spares the one session with that token hash (the officer's own,
    when they change their own password).
    """
    query = delete(OfficerSession).where(OfficerSession.officer_id == officer_id)
    if keep_hash is not None:
        query = query.where(OfficerSession.token_hash != keep_hash)
    result = await session.execute(query)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_expired_sessions(session: AsyncSession, now: datetime | None = None) -> int:
    """Remove sessions past their expiry; returns how many."""
    result = await session.execute(
        delete(OfficerSession).where(OfficerSession.expires_at < (now or utcnow()))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def add_audit_event(
    session: AsyncSession,
    *,
    officer: Officer | None,
    action: str,
    target: str = "",
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    """Record who did what to which target; `username` is used when no officer is known."""
    event = AuditEvent(
        officer_id=officer.id if officer else None,
        officer_username=(officer.username if officer else username)[:100],
        action=action,
        target=target[:200],
        detail=detail,
        created_at=utcnow(),
    )
    session.add(event)
    await session.flush()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """Which audit events to show: parts of the officer's name or the target (any case),
    one action, and a time window [since, until) in UTC."""

    who: str = ""
    target: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _audit_where(query: Select[Any], audit_filter: AuditFilter) -> Select[Any]:
    if audit_filter.who:
        pattern = contains_pattern(audit_filter.who)
        query = query.where(AuditEvent.officer_username.ilike(pattern, escape="\\"))
    if audit_filter.target:
        pattern = contains_pattern(audit_filter.target)
        query = query.where(AuditEvent.target.ilike(pattern, escape="\\"))
    if audit_filter.action:
        query = query.where(AuditEvent.action == audit_filter.action)
    if audit_filter.since is not None:
        query = query.where(AuditEvent.created_at >= audit_filter.since)
    if audit_filter.until is not None:
        query = query.where(AuditEvent.created_at < audit_filter.until)
    return query


async def list_audit_events(
    session: AsyncSession,
    *,
    limit: int,
    offset: int = 0,
    audit_filter: AuditFilter | None = None,
) -> Sequence[AuditEvent]:
    """Audit events matching `audit_filter`, newest first."""
    query = _audit_where(select(AuditEvent), audit_filter or AuditFilter())
    query = query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return (await session.scalars(query.limit(limit).offset(offset))).all()


async def count_audit_events(session: AsyncSession, audit_filter: AuditFilter | None = None) -> int:
    """How many audit events match `audit_filter`."""
    counted = select(func.count()).select_from(AuditEvent)
    query = _audit_where(counted, audit_filter or AuditFilter())
    return int(await session.scalar(query) or 0)


async def audit_actions(session: AsyncSession) -> list[str]:
    """Every action code in the audit log, alphabetically (for the filter's choices)."""
    rows = await session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return list(rows)


async def set_totp(
    session: AsyncSession,
    officer_id: int,
    *,
    sealed_secret: str | None,
    confirmed: bool,
    recovery_hashes: str = "",
) -> None:
    """Store (or with None remove) an account's second factor."""
    await session.execute(
        update(Officer)
        .where(Officer.id == officer_id)
        .values(
            totp_secret=sealed_secret,
            totp_confirmed=confirmed,
            totp_last_step=None,
            totp_recovery=recovery_hashes,
        )
        .execution_options(synchronize_session=False)
    )


async def claim_totp_step(session: AsyncSession, officer_id: int, step: int) -> bool:
    """Mark time step `step` used, only if it is later than the last one (no replay)."""
    claimed: int | None = await session.scalar(
        update(Officer)
        .where(Officer.id == officer_id)
        .where(or_(Officer.totp_last_step.is_(None), Officer.totp_last_step < step))
        .values(totp_last_step=step)
        .returning(Officer.id)
        .execution_options(synchronize_session=False)
    )
    return claimed is not None


async def use_recovery_hash(
    session: AsyncSession, officer_id: int, before: str, after: str
) -> bool:
    """Replace the recovery hashes `before` by `after` (one code used), if nobody else did."""
    used: int | None = await session.scalar(
        update(Officer)
        .where(Officer.id == officer_id)
        .where(Officer.totp_recovery == before)
        .values(totp_recovery=after)
        .returning(Officer.id)
        .execution_options(synchronize_session=False)
    )
    return used is not None
