"""Shifts, who is assigned to them, and what a desk session recorded."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, enum_column, utcnow
from .enums import AssignmentStatus, Pathway, ShiftStatus

if TYPE_CHECKING:
    from .people import Volunteer
    from .sites import Post, RecurrencePattern


class Shift(Base, Versioned):
    """One session of a post on a date, generated from a pattern or added by hand.

    The unique key (post, date, start time) is what makes generation idempotent.
    """

    __tablename__ = "shifts"
    __table_args__ = (
        UniqueConstraint("post_id", "date", "start_time"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint("min_volunteers IS NULL OR min_volunteers >= 0", name="min_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    pattern_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurrence_patterns.id", ondelete="SET NULL")
    )
    date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    status: Mapped[ShiftStatus] = mapped_column(
        enum_column(ShiftStatus, "shift_status"), default=ShiftStatus.SCHEDULED
    )
    one_off: Mapped[bool] = mapped_column(Boolean, default=False)
    # Overrides of the post's numbers for this one session (None: use the post's).
    min_volunteers: Mapped[int | None] = mapped_column(Integer)
    max_volunteers: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")

    post: Mapped[Post] = relationship(back_populates="shifts")
    pattern: Mapped[RecurrencePattern | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="shift", cascade="all, delete-orphan"
    )
    outcome: Mapped[DeskOutcome | None] = relationship(
        back_populates="shift", cascade="all, delete-orphan"
    )


class Assignment(Base, Versioned):
    """A volunteer placed on a shift."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("shift_id", "volunteer_id"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus, "assignment_status"), default=AssignmentStatus.CONFIRMED
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # Set when a manager accepted an assignment that breaks a rule; also audited.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")

    shift: Mapped[Shift] = relationship(back_populates="assignments")
    volunteer: Mapped[Volunteer] = relationship(back_populates="assignments")


class DeskOutcome(Base, Versioned):
    """What a desk session recorded: contacts seen and signposting by pathway."""

    __tablename__ = "desk_outcomes"
    __table_args__ = (CheckConstraint("contacts_seen >= 0", name="contacts_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), unique=True)
    contacts_seen: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(120), default="")

    shift: Mapped[Shift] = relationship(back_populates="outcome")
    signposts: Mapped[list[Signpost]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan"
    )


class Signpost(Base):
    """How many people a desk session signposted to one resettlement pathway."""

    __tablename__ = "signposts"
    __table_args__ = (
        UniqueConstraint("outcome_id", "pathway"),
        CheckConstraint("count >= 0", name="count_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("desk_outcomes.id", ondelete="CASCADE"))
    pathway: Mapped[Pathway] = mapped_column(enum_column(Pathway, "pathway"))
    count: Mapped[int] = mapped_column(Integer, default=0)

    outcome: Mapped[DeskOutcome] = relationship(back_populates="signposts")
