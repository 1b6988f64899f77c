"""Reading the catalogues: training courses, clearance types, roles and faiths."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ClearanceType, Faith, Role, TrainingCourse


@dataclass(frozen=True)
class CourseInfo:
    id: int
    code: str
    name: str
    validity_months: int | None  # None: never expires
    default_validity_months: int | None
    set_locally: bool
    within_months_of_start: int | None
    description: str
    active: bool


@dataclass(frozen=True)
class ClearanceTypeInfo:
    id: int
    code: str
    name: str
    validity_months: int | None
    default_validity_months: int | None
    set_locally: bool
    per_establishment: bool
    is_dbs: bool
    levels: tuple[str, ...]
    description: str
    active: bool


@dataclass(frozen=True)
class RoleInfo:
    id: int
    name: str
    description: str


@dataclass(frozen=True)
class FaithInfo:
    id: int
    name: str
    family: str


@dataclass(frozen=True)
class Catalogues:
    courses: tuple[CourseInfo, ...]
    clearance_types: tuple[ClearanceTypeInfo, ...]
    roles: tuple[RoleInfo, ...]
    faiths: tuple[FaithInfo, ...]


def validity_text(months: int | None) -> str:
    """A validity in words: 36 months, 1 month, or Does not expire."""
    if months is None:
        return "Does not expire"
    return f"{months} month" if months == 1 else f"{months} months"


def training_courses(session: Session) -> list[CourseInfo]:
    return [
        CourseInfo(
            id=c.id,
            code=c.code,
            name=c.name,
            validity_months=c.validity_months,
            default_validity_months=c.default_validity_months,
            set_locally=c.set_locally,
            within_months_of_start=c.within_months_of_start,
            description=c.description,
            active=c.active,
        )
        for c in session.scalars(select(TrainingCourse).order_by(TrainingCourse.name))
    ]


def clearance_types(session: Session) -> list[ClearanceTypeInfo]:
    return [
        ClearanceTypeInfo(
            id=t.id,
            code=t.code,
            name=t.name,
            validity_months=t.validity_months,
            default_validity_months=t.default_validity_months,
            set_locally=t.set_locally,
            per_establishment=t.per_establishment,
            is_dbs=t.is_dbs,
            levels=tuple(level.strip() for level in t.levels.split(",") if level.strip()),
            description=t.description,
            active=t.active,
        )
        for t in session.scalars(select(ClearanceType).order_by(ClearanceType.name))
    ]


def roles(session: Session) -> list[RoleInfo]:
    return [
        RoleInfo(r.id, r.name, r.description)
        for r in session.scalars(select(Role).order_by(Role.name))
    ]


def faiths(session: Session) -> list[FaithInfo]:
    return [
        FaithInfo(f.id, f.name, f.family)
        for f in session.scalars(select(Faith).order_by(Faith.family, Faith.name))
    ]


def catalogues(session: Session) -> Catalogues:
    return Catalogues(
        courses=tuple(training_courses(session)),
        clearance_types=tuple(clearance_types(session)),
        roles=tuple(roles(session)),
        faiths=tuple(faiths(session)),
    )
