"""Citizens' input on a case, stored for case officers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from medverk.store.base import Base, UtcDateTime
from medverk.clock import utcnow

from medverk.names import INPUT_STATUSES as INPUT_STATUSES  # re-exported


class Input(Base):
    """One input from a citizen. `sender_key` is a keyed hash, never a raw id."""

    __tablename__ = "inputs"
    __table_args__ = (
        Index("ix_inputs_status_created", "status", "created_at"),
        Index("ix_inputs_case_created", "case_ref", "created_at"),
        # Covers the officer inbox's counts per status under any mix of its filters,
        # so they are read from this index alone (bench/officer_inbox.py).
        Index(
            "ix_inputs_facets",
            "status",
            "case_ref",
            "committee",
            "malform",
            "channel",
            "age_group",
            "created_at",
        ),
        # The dashboards (medverk/store/dashboard_repo.py): "waiting for an answer" per
        # case, and the time to answer, each read from its index alone (migration 0010).
        Index("ix_inputs_waiting", "case_ref", "wants_reply", "status", "committee"),
        Index(
            "ix_inputs_answer_delay", "status", "case_ref", "committee", "created_at", "answered_at"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    case_ref: Mapped[str] = mapped_column(String(20))
    case_title: Mapped[str] = mapped_column(String(500), default="")
    committee: Mapped[str] = mapped_column(String(200), default="", index=True)
    text: Mapped[str] = mapped_column(Text)
    malform: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(20), index=True)
    age_group: Mapped[str | None] = mapped_column(String(20))
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(String(300))
    wants_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    sender_key: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_by: Mapped[int | None] = mapped_column(Integer)
    # The officer the input is assigned to ("Mine" in the inbox); None = nobody.
    assigned_to: Mapped[int | None] = mapped_column(Integer, index=True)
    # Matched the abuse word list (`data/abuse_words.yml`) when stored.
    abuse_flag: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Made by `medverk officer demo-inputs`, not by a citizen.
    demo: Mapped[bool] = mapped_column(Boolean, server_default=false())
    decision_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
