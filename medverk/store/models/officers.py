"""Case officers' accounts and the audit log of their access to input."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medverk.store.base import Base, UtcDateTime
from medverk.clock import utcnow

ROLES = ("officer", "admin")


class Officer(Base):
    """An officer account; the password is an argon2 hash."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="officer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Second factor (medverk.officers.totp): the secret sealed with a key derived from the
    # app's secret key, whether enrolment is confirmed, the last time step used (replay),
    # and the SHA-256 of the unused recovery codes, one a line.
    totp_secret: Mapped[str | None] = mapped_column(String(300))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    totp_recovery: Mapped[str] = mapped_column(Text, default="")


class AuditEvent(Base):
    """Who did what to which citizen input, and when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    officer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    officer_username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class OfficerSession(Base):
    """A logged-in officer's server-side session; only a hash of the token is stored."""

    __tablename__ = "officer_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


DIGEST_FREQUENCIES = ("daily", "weekly")


class OfficerDigest(Base):
    """An officer's opt-in to a digest e-mail of new input (all committees when empty)."""

    __tablename__ = "officer_digests"

    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(300))
    frequency: Mapped[str] = mapped_column(String(10), default="daily")
    committee: Mapped[str] = mapped_column(String(200), default="")
    malform: Mapped[str] = mapped_column(String(2), default="nn")
    last_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


DIGEST_SCOPE_KINDS = ("committee", "case")


class OfficerDigestScope(Base):
    """One committee or case an officer's digest covers (none: everything, or the
    digest's own `committee` set by the CLI)."""

    __tablename__ = "officer_digest_scopes"

    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officer_digests.officer_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
