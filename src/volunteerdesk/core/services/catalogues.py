"""The catalogues: training courses, clearance types, roles and faiths; reading and editing.

Courses and clearance types ship with defaults (``core.catalogue``); the organisation may
change them, and a validity changed from the shipped default shows as set locally. One
that is in use (records, post requirements) is deactivated rather than deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..catalogue import CLEARANCES, COURSES
from ..changes import Changes
from ..models import (
    Clearance,
    ClearanceType,
    Faith,
    PostRequirement,
    Role,
    TrainingCourse,
    TrainingRecord,
)
from ..validation import InvalidValue
from . import editing

SHIPPED_COURSES = frozenset(code for code, *_ in COURSES)
SHIPPED_CLEARANCES = frozenset(code for code, *_ in CLEARANCES)


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
    version: int = 1
    added_locally: bool = False  # not one of the shipped courses


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
    version: int = 1
    added_locally: bool = False


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


def validity_label(item: CourseInfo | ClearanceTypeInfo) -> str:
    """The validity with where it came from: "12 months (set locally; default 36)"."""
    text = validity_text(item.validity_months)
    if item.added_locally:
        return f"{text} (added locally)"
    if item.set_locally:
        default = item.default_validity_months
        was = "never expires" if default is None else str(default)
        return f"{text} (set locally; default {was})"
    return text


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
            version=c.version,
            added_locally=c.code not in SHIPPED_COURSES,
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
            version=t.version,
            added_locally=t.code not in SHIPPED_CLEARANCES,
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


# ----- editing ---------------------------------------------------------------------------
COURSE_FIELDS = ("name", "validity_months", "within_months_of_start", "description", "active")
TYPE_FIELDS = (
    "name",
    "validity_months",
    "per_establishment",
    "is_dbs",
    "levels",
    "description",
    "active",
)


@dataclass(frozen=True)
class CatalogueSaved:
    record_id: int
    version: int
    changes: Changes
    plain: dict[str, Any]


@dataclass(frozen=True)
class Removed:
    deactivated: bool  # True when in use, so kept but deactivated
    uses: int
    message: str
    changes: Changes


def _months(value: Any, label: str, maximum: int) -> int | None:
    if value in (None, "", 0):
        return None
    months = int(value)
    if not 1 <= months <= maximum:
        raise InvalidValue(f"{label} must be between 1 and {maximum} months")
    return months


def normalise_levels(text: str) -> str:
    """ "Basic, Enhanced ,basic" -> "Basic,Enhanced" (order kept, repeats dropped)."""
    seen: dict[str, str] = {}
    for part in (text or "").split(","):
        level = " ".join(part.split())
        if level and level.casefold() not in seen:
            if len(level) > 60:
                raise InvalidValue(f"The level {level[:20]}… is longer than 60 characters")
            seen[level.casefold()] = level
    joined = ",".join(seen.values())
    if len(joined) > 300:
        raise InvalidValue("The levels are longer than 300 characters in all")
    return joined


def _check(session: Session, model: type, values: dict[str, Any], record_id: int | None):
    fields = COURSE_FIELDS if model is TrainingCourse else TYPE_FIELDS
    checked = {k: values[k] for k in fields if k in values}
    name = " ".join((checked.get("name") or "").split())
    if not name:
        raise InvalidValue("Name is required")
    if len(name) > 200:
        raise InvalidValue("The name is longer than 200 characters")
    clash = session.scalar(
        select(model.id).where(
            func.lower(model.name) == name.lower(), model.id != (record_id or -1)
        )
    )
    if clash is not None:
        raise InvalidValue(f"There is already one called {name}")
    checked["name"] = name
    checked["validity_months"] = _months(checked.get("validity_months"), "Validity", 1200)
    if model is TrainingCourse:
        checked["within_months_of_start"] = _months(
            checked.get("within_months_of_start"), "Within months of starting", 120
        )
    else:
        checked["levels"] = normalise_levels(checked.get("levels") or "")
        checked["per_establishment"] = bool(checked.get("per_establishment"))
        checked["is_dbs"] = bool(checked.get("is_dbs"))
    checked["description"] = (checked.get("description") or "").strip()
    checked["active"] = bool(checked.get("active", True))
    return checked


def _new_code(session: Session, model: type, name: str) -> str:
    base = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")[:24] or "LOCAL"
    taken = set(session.scalars(select(model.code).where(model.code.like(f"{base}%"))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _subject(model: type) -> Changes:
    return Changes.of("catalogues", "training" if model is TrainingCourse else "clearances")


def _add(session: Session, username: str, model: type, values: dict[str, Any]) -> CatalogueSaved:
    checked = _check(session, model, values, None)
    checked["code"] = _new_code(session, model, checked["name"])
    # A locally added item has no shipped default: its own first value stands in for one.
    checked["default_validity_months"] = checked["validity_months"]
    label = editing.entity_name(model)
    obj = editing.create(
        session, model, checked, username, summary=f"Added {label} {checked['name']}"
    )
    return CatalogueSaved(obj.id, obj.version, _subject(model), audit.column_values(obj))


def _update(
    session: Session,
    username: str,
    model: type,
    record_id: int,
    version: int,
    changed: dict[str, Any],
    opened: dict[str, Any] | None,
) -> CatalogueSaved:
    obj = session.get(model, record_id)
    if obj is None or obj.version != version:
        editing.update(session, model, record_id, version, {}, username, opened=opened)
    fields = COURSE_FIELDS if model is TrainingCourse else TYPE_FIELDS
    current = {k: getattr(obj, k) for k in fields}
    checked = _check(session, model, {**current, **changed}, record_id)
    to_write = {k: v for k, v in checked.items() if current.get(k) != v}
    obj = editing.update(
        session,
        model,
        record_id,
        version,
        to_write,
        username,
        opened=opened,
        summary=f"Updated {editing.entity_name(model)} {checked['name']}",
    )
    return CatalogueSaved(obj.id, obj.version, _subject(model), audit.column_values(obj))


def usage(session: Session, model: type, record_id: int) -> int:
    """How many records and post requirements use this course or clearance type."""
    if model is TrainingCourse:
        records = select(func.count()).where(TrainingRecord.course_id == record_id)
        needs = select(func.count()).where(PostRequirement.course_id == record_id)
    else:
        records = select(func.count()).where(Clearance.type_id == record_id)
        needs = select(func.count()).where(PostRequirement.clearance_type_id == record_id)
    return int(session.scalar(records) or 0) + int(session.scalar(needs) or 0)


def _remove(
    session: Session, username: str, model: type, record_id: int, version: int | None
) -> Removed:
    obj = session.get(model, record_id)
    if obj is None:
        raise editing.RecordGone(f"This {editing.entity_name(model)} has already been deleted.")
    name, uses = obj.name, usage(session, model, record_id)
    if uses:
        if obj.active:
            editing.update(
                session,
                model,
                record_id,
                version if version is not None else obj.version,
                {"active": False},
                username,
                summary=f"Deactivated {editing.entity_name(model)} {name} (in use)",
            )
        message = (
            f"{name} is used by {uses} record{'s' if uses != 1 else ''} or post requirement"
            f"{'s' if uses != 1 else ''}, so it was deactivated rather than deleted. "
            "It is kept on existing records and can be reactivated."
        )
        return Removed(True, uses, message, _subject(model))
    editing.delete(
        session,
        model,
        record_id,
        version,
        username,
        summary=f"Deleted {editing.entity_name(model)} {name}",
    )
    return Removed(False, 0, f"{name} was deleted.", _subject(model))


def course_values(session: Session, course_id: int) -> tuple[dict[str, Any], int, dict[str, Any]]:
    """(the fields an editor shows, the version, the plain column values) of a course."""
    obj = session.get(TrainingCourse, course_id)
    if obj is None:
        raise editing.RecordGone("This training course has been deleted by someone else.")
    return {k: getattr(obj, k) for k in COURSE_FIELDS}, obj.version, audit.column_values(obj)


def clearance_type_values(
    session: Session, type_id: int
) -> tuple[dict[str, Any], int, dict[str, Any]]:
    obj = session.get(ClearanceType, type_id)
    if obj is None:
        raise editing.RecordGone("This clearance type has been deleted by someone else.")
    return {k: getattr(obj, k) for k in TYPE_FIELDS}, obj.version, audit.column_values(obj)


def add_course(session: Session, username: str, values: dict[str, Any]) -> CatalogueSaved:
    return _add(session, username, TrainingCourse, values)


def update_course(
    session: Session,
    username: str,
    course_id: int,
    version: int,
    changed: dict[str, Any],
    *,
    opened: dict[str, Any] | None = None,
) -> CatalogueSaved:
    return _update(session, username, TrainingCourse, course_id, version, changed, opened)


def remove_course(
    session: Session, username: str, course_id: int, version: int | None = None
) -> Removed:
    return _remove(session, username, TrainingCourse, course_id, version)


def add_clearance_type(session: Session, username: str, values: dict[str, Any]) -> CatalogueSaved:
    return _add(session, username, ClearanceType, values)


def update_clearance_type(
    session: Session,
    username: str,
    type_id: int,
    version: int,
    changed: dict[str, Any],
    *,
    opened: dict[str, Any] | None = None,
) -> CatalogueSaved:
    return _update(session, username, ClearanceType, type_id, version, changed, opened)


def remove_clearance_type(
    session: Session, username: str, type_id: int, version: int | None = None
) -> Removed:
    return _remove(session, username, ClearanceType, type_id, version)
