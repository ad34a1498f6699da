"""Officers' shared work on input: tags per case and notes with author and time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medverk.clock import utcnow
from medverk.store.base import Base, UtcDateTime

MAX_TAG_LENGTH = 60


class InputTag(Base):
    """A tag (theme) an officer put on an input; the tags of a case are those in use."""

    __tablename__ = "input_tags"
    __table_args__ = (Index("ix_input_tags_case_tag", "case_ref", "tag"),)

    input_id: Mapped[int] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(MAX_TAG_LENGTH), primary_key=True)
    # Copied from the input, so a case's tags and their counts need no join.
    case_ref: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class InputNote(Base):
    """An internal note on an input; notes are added, never overwritten."""

    __tablename__ = "input_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(Integer)
    officer_username: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
