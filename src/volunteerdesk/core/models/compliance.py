"""Training courses and records, clearance types and clearances (vetting, CTC, DBS, PVG)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, enum_column
from .enums import ClearanceStatus, TrainingStatus

if TYPE_CHECKING:
    from .people import Volunteer
    from .sites import Site


class TrainingCourse(Base, Versioned):
    """A course with its refresh period; ``validity_months`` None means it never expires.

    ``default_validity_months`` keeps the shipped default so that a value changed by the
    organisation can be shown as set locally.
    """

    __tablename__ = "training_courses"
    __table_args__ = (
        CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    default_validity_months: Mapped[int | None] = mapped_column(Integer)
    within_months_of_start: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def set_locally(self) -> bool:
        return self.validity_months != self.default_validity_months


class TrainingRecord(Base, Versioned):
    """A course a volunteer completed (or a renewal booked, which stops the alarm)."""

    __tablename__ = "training_records"
    __table_args__ = (
        CheckConstraint(
            "expires_on IS NULL OR completed_on IS NULL OR expires_on >= completed_on",
            name="expires_after_completed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[TrainingStatus] = mapped_column(
        enum_column(TrainingStatus, "training_status"), default=TrainingStatus.COMPLETED
    )
    completed_on: Mapped[date | None] = mapped_column(Date)
    booked_for: Mapped[date | None] = mapped_column(Date)
    # Computed from the course's validity by default; ``expiry_overridden`` marks a manual date.
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    expiry_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[str] = mapped_column(String(200), default="")
    certificate_ref: Mapped[str] = mapped_column(String(100), default="")
    renews_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_records.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    volunteer: Mapped[Volunteer] = relationship(back_populates="training")
    course: Mapped[TrainingCourse] = relationship()


class ClearanceType(Base, Versioned):
    """A kind of clearance: HMPPS vetting, CTC, DBS, PVG; per establishment or portable."""

    __tablename__ = "clearance_types"
    __table_args__ = (
        CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    default_validity_months: Mapped[int | None] = mapped_column(Integer)
    per_establishment: Mapped[bool] = mapped_column(Boolean, default=False)
    is_dbs: Mapped[bool] = mapped_column(Boolean, default=False)
    levels: Mapped[str] = mapped_column(String(300), default="")  # comma-separated choices
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def set_locally(self) -> bool:
        return self.validity_months != self.default_validity_months


class Clearance(Base, Versioned):
    """One clearance application and its outcome.

    DBS records keep only what DOMAIN.md allows: certificate number, issue date, level,
    barred-list flag, Update Service status, decision and decision date. There is
    deliberately no column for the certificate's content.
    """

    __tablename__ = "clearances"
    __table_args__ = (
        CheckConstraint(
            "expires_on IS NULL OR granted_on IS NULL OR expires_on >= granted_on",
            name="expires_after_granted",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    type_id: Mapped[int] = mapped_column(
        ForeignKey("clearance_types.id", ondelete="RESTRICT"), index=True
    )
    # The establishment it is valid at, for per-establishment clearances.
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ClearanceStatus] = mapped_column(
        enum_column(ClearanceStatus, "clearance_status"),
        default=ClearanceStatus.APPLIED,
        index=True,
    )
    level: Mapped[str] = mapped_column(String(60), default="")
    reference: Mapped[str] = mapped_column(String(60), default="")
    applied_on: Mapped[date | None] = mapped_column(Date)
    granted_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    expiry_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("clearances.id", ondelete="SET NULL"))
    # DBS fields (DOMAIN.md): never the certificate content.
    dbs_certificate_number: Mapped[str] = mapped_column(String(20), default="")
    dbs_barred_list_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    dbs_update_service: Mapped[bool] = mapped_column(Boolean, default=False)
    dbs_update_service_checked_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(60), default="")
    decision_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    volunteer: Mapped[Volunteer] = relationship(back_populates="clearances")
    type: Mapped[ClearanceType] = relationship()
    site: Mapped[Site | None] = relationship()
