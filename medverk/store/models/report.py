"""What officers add to a case's report: junk words left out of its word list, and
their own summary."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medverk.clock import utcnow
from medverk.store.base import Base, UtcDateTime

MAX_WORD_LENGTH = 60
MAX_SUMMARY_LENGTH = 5000


class ReportJunkWord(Base):
    """A word an officer removed from one case's word counts (and themes)."""

    __tablename__ = "report_junk_words"

    case_ref: Mapped[str] = mapped_column(String(20), primary_key=True)
    word: Mapped[str] = mapped_column(String(MAX_WORD_LENGTH), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReportSummary(Base):
    """The officer's own summary at the top of one case's report."""

    __tablename__ = "report_summaries"

    case_ref: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
