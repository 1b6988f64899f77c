"""Prisons and courts, the posts or desks at each, and the patterns their sessions recur on."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, enum_column
from .enums import Jurisdiction, PostKind, SiteDayKind, SiteKind

if TYPE_CHECKING:
    from .compliance import ClearanceType, TrainingCourse
    from .people import Faith
    from .rota import Shift


class Site(Base, Versioned):
    """A prison (establishment) or a court."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(10), default="")
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind, "site_kind"))
    jurisdiction: Mapped[Jurisdiction] = mapped_column(
        enum_column(Jurisdiction, "jurisdiction"), default=Jurisdiction.ENGLAND_WALES
    )
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    security_contact_name: Mapped[str] = mapped_column(String(120), default="")
    security_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    security_contact_email: Mapped[str] = mapped_column(String(200), default="")
    coordinator_name: Mapped[str] = mapped_column(String(120), default="")
    coordinator_phone: Mapped[str] = mapped_column(String(40), default="")
    safeguarding_contact_name: Mapped[str] = mapped_column(String(120), default="")
    safeguarding_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # Latest time to be through the gate for morning and afternoon sessions.
    morning_gate_time: Mapped[time | None] = mapped_column(Time)
    afternoon_gate_time: Mapped[time | None] = mapped_column(Time)
    # Courts do not sit on bank holidays; a chaplaincy usually runs through them.
    closed_on_bank_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    posts: Mapped[list[Post]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="Post.name"
    )
    days: Mapped[list[SiteDay]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="SiteDay.day"
    )


class SiteDay(Base, Versioned):
    """A closure day, or an exception day when the site runs despite a holiday or closure."""

    __tablename__ = "site_days"
    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[SiteDayKind] = mapped_column(enum_column(SiteDayKind, "site_day_kind"))
    reason: Mapped[str] = mapped_column(String(200), default="")

    site: Mapped[Site] = relationship(back_populates="days")


class Post(Base, Versioned):
    """A post or desk at a site: a place volunteers fill during a session."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("site_id", "name"),
        CheckConstraint("min_volunteers >= 0", name="min_non_negative"),
        CheckConstraint("max_volunteers >= min_volunteers", name="max_at_least_min"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind, "post_kind"))
    location: Mapped[str] = mapped_column(String(200), default="")
    # UK wall-clock times; Europe/London is applied only at the edges.
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    min_volunteers: Mapped[int] = mapped_column(Integer, default=1)
    max_volunteers: Mapped[int] = mapped_column(Integer, default=2)
    required_faith_id: Mapped[int | None] = mapped_column(
        ForeignKey("faiths.id", ondelete="SET NULL")
    )
    faith_mandatory: Mapped[bool] = mapped_column(Boolean, default=True)
    needs_escort: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    site: Mapped[Site] = relationship(back_populates="posts")
    required_faith: Mapped[Faith | None] = relationship()
    requirements: Mapped[list[PostRequirement]] = relationship(
        back_populates="post", cascade="all, delete-orphan"
    )
    patterns: Mapped[list[RecurrencePattern]] = relationship(
        back_populates="post", cascade="all, delete-orphan"
    )
    shifts: Mapped[list[Shift]] = relationship(back_populates="post", cascade="all, delete-orphan")


class PostRequirement(Base, Versioned):
    """A clearance type or training course a post requires; mandatory blocks, advisory warns."""

    __tablename__ = "post_requirements"
    __table_args__ = (
        CheckConstraint(
            "(clearance_type_id IS NULL) <> (course_id IS NULL)",
            name="exactly_one_kind",
        ),
        UniqueConstraint("post_id", "clearance_type_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    clearance_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("clearance_types.id", ondelete="CASCADE")
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE")
    )
    mandatory: Mapped[bool] = mapped_column(Boolean, default=True)

    post: Mapped[Post] = relationship(back_populates="requirements")
    clearance_type: Mapped[ClearanceType | None] = relationship()
    course: Mapped[TrainingCourse | None] = relationship()


class RecurrencePattern(Base, Versioned):
    """When a post's sessions recur: an RFC 5545 RRULE (python-dateutil) from a start date.

    ``rrule`` holds the rule body without DTSTART, e.g. ``FREQ=WEEKLY;BYDAY=SU`` or
    ``FREQ=MONTHLY;BYDAY=1SU`` or ``FREQ=WEEKLY;INTERVAL=1;COUNT=6`` for a course block.
    """

    __tablename__ = "recurrence_patterns"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    rrule: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    skip_closures: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(String(200), default="")

    post: Mapped[Post] = relationship(back_populates="patterns")
