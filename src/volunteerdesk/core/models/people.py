"""Volunteers, the faiths and sending organisations they come from, and when they can serve."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, enum_column
from .enums import CommunityKind, RiskOutcome, Session, VolunteerStatus

if TYPE_CHECKING:
    from .compliance import Clearance, TrainingRecord
    from .rota import Assignment
    from .sites import Site


class Faith(Base, Versioned):
    """A faith or tradition ("Roman Catholic", "Islam (Sunni)", "Sikh", "Quaker")."""

    __tablename__ = "faiths"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    family: Mapped[str] = mapped_column(String(60), default="")  # e.g. "Christian"


class Community(Base, Versioned):
    """A faith community or a partner organisation that sends and endorses volunteers."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[CommunityKind] = mapped_column(enum_column(CommunityKind, "community_kind"))
    faith_id: Mapped[int | None] = mapped_column(ForeignKey("faiths.id", ondelete="SET NULL"))
    tradition: Mapped[str] = mapped_column(String(120), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    endorsing_authority: Mapped[str] = mapped_column(String(200), default="")
    agreement_signed_on: Mapped[date | None] = mapped_column(Date)
    review_due_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    faith: Mapped[Faith | None] = relationship()
    volunteers: Mapped[list[Volunteer]] = relationship(back_populates="community")


class Role(Base, Versioned):
    """A kind of work a volunteer does: OPV, chapel admin, court desk volunteer..."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


volunteer_roles = Table(
    "volunteer_roles",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)

volunteer_sites = Table(
    "volunteer_sites",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Volunteer(Base, Versioned):
    __tablename__ = "volunteers"
    __table_args__ = (
        CheckConstraint("max_shifts_per_month >= 0", name="max_shifts_non_negative"),
        CheckConstraint(
            "left_on IS NULL OR started_on IS NULL OR left_on >= started_on",
            name="left_after_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(20), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    # The preferred forename: printed on badges and prisoner-facing lists.
    badge_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(120), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    emergency_contact_relation: Mapped[str] = mapped_column(String(60), default="")

    status: Mapped[VolunteerStatus] = mapped_column(
        enum_column(VolunteerStatus, "volunteer_status"),
        default=VolunteerStatus.ENQUIRY,
        index=True,
    )
    status_since: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    # Religion or belief is special-category data: recorded only with consent.
    faith_id: Mapped[int | None] = mapped_column(ForeignKey("faiths.id", ondelete="SET NULL"))
    faith_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    faith_consent_on: Mapped[date | None] = mapped_column(Date)

    languages: Mapped[str] = mapped_column(String(200), default="")  # comma-separated
    key_holder: Mapped[bool] = mapped_column(Boolean, default=False)
    max_shifts_per_month: Mapped[int] = mapped_column(Integer, default=4)
    notes: Mapped[str] = mapped_column(Text, default="")

    # Lived experience: only that a risk assessment was done, its outcome and date.
    risk_assessment_outcome: Mapped[RiskOutcome | None] = mapped_column(
        enum_column(RiskOutcome, "risk_outcome")
    )
    risk_assessment_on: Mapped[date | None] = mapped_column(Date)

    erased_on: Mapped[date | None] = mapped_column(Date)  # anonymised under the right to erasure

    community: Mapped[Community | None] = relationship(back_populates="volunteers")
    faith: Mapped[Faith | None] = relationship()
    roles: Mapped[list[Role]] = relationship(secondary=volunteer_roles)
    sites: Mapped[list[Site]] = relationship(secondary=volunteer_sites)
    endorsements: Mapped[list[Endorsement]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )
    availability: Mapped[list[WeeklyAvailability]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )
    training: Mapped[list[TrainingRecord]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )
    clearances: Mapped[list[Clearance]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        return f"{self.badge_name or self.first_name} {self.last_name}".strip()


class Endorsement(Base, Versioned):
    """A community's endorsement of a volunteer: who endorsed, and when."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("volunteer_id", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    endorsed_by: Mapped[str] = mapped_column(String(120), default="")
    endorsed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    volunteer: Mapped[Volunteer] = relationship(back_populates="endorsements")
    community: Mapped[Community] = relationship()


class WeeklyAvailability(Base, Versioned):
    """A regular slot the volunteer can give: a weekday session, weekly or fortnightly.

    Fortnightly slots count from ``anchor_date`` (a date in one of the weeks they come).
    """

    __tablename__ = "weekly_availability"
    __table_args__ = (
        UniqueConstraint("volunteer_id", "weekday", "session"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("every_n_weeks IN (1, 2)", name="every_n_weeks_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)  # Monday = 0
    session: Mapped[Session] = mapped_column(enum_column(Session, "session"))
    every_n_weeks: Mapped[int] = mapped_column(Integer, default=1)
    anchor_date: Mapped[date | None] = mapped_column(Date)

    volunteer: Mapped[Volunteer] = relationship(back_populates="availability")


class Unavailability(Base, Versioned):
    """A period the volunteer cannot come (holiday, illness, blocked dates), inclusive."""

    __tablename__ = "unavailability"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    volunteer: Mapped[Volunteer] = relationship(back_populates="unavailability")
