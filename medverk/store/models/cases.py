"""Case data synced from an eInnsyn-shaped source (Moetemappe, Moetesak)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from medverk.store.base import Base, UtcDateTime
from medverk.clock import utcnow


class Meeting(Base):
    """A meeting of a committee (eInnsyn Moetemappe)."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    committee: Mapped[str] = mapped_column(String(200), index=True)
    committee_code: Mapped[str | None] = mapped_column(String(50))
    meeting_date: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    place: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    municipality: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    items: Mapped[list[AgendaItem]] = relationship(back_populates="meeting", lazy="raise_on_sql")


class AgendaItem(Base):
    """An agenda item (eInnsyn Moetesak) with its case reference and outcome."""

    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_committee_date", "committee", "meeting_date"),)

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    meeting_id: Mapped[str | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    case_ref: Mapped[str] = mapped_column(String(20), index=True)
    item_ref: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    recommendation: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(Text)
    decision_date: Mapped[date | None] = mapped_column(Date)
    hearing_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    topics: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    for_youth: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str | None] = mapped_column(String(1000))
    municipality: Mapped[str] = mapped_column(String(200))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    meeting: Mapped[Meeting | None] = relationship(back_populates="items", lazy="raise_on_sql")


class CaseSyncRun(Base):
    """One run of the case sync: tells how fresh the local case data is."""

    __tablename__ = "case_sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    items_synced: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class CaseTranslation(Base):
    """An agenda item's texts machine-translated into the other målform at sync time.

    One row per item and target målform. `ok` is false when the translator was
    missing or failed: then the texts are empty and readers show the original.
    `source_hash` lets the next sync reuse a translation whose source is unchanged.
    """

    __tablename__ = "case_translations"

    item_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    malform: Mapped[str] = mapped_column(String(2), primary_key=True)
    source_malform: Mapped[str] = mapped_column(String(2))
    source_hash: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    translated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
