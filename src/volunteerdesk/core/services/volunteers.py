"""Reading volunteers: the list (one row each) and one volunteer's full record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..models import (
    Clearance,
    Community,
    Endorsement,
    Site,
    TrainingRecord,
    Volunteer,
    volunteer_sites,
)


def display_name(first_name: str, badge_name: str, last_name: str) -> str:
    """The name the program shows: the preferred forename, then the surname."""
    return f"{badge_name or first_name} {last_name}".strip()


@dataclass(frozen=True)
class VolunteerRow:
    id: int
    display_name: str
    first_name: str
    last_name: str
    badge_name: str
    status: str
    community: str
    sites: str  # comma-joined site names
    phone: str
    email: str
    key_holder: bool


@dataclass(frozen=True)
class TrainingLine:
    course: str
    status: str
    completed_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class ClearanceLine:
    type: str
    level: str
    site: str
    status: str
    reference: str
    granted_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class EndorsementLine:
    community: str
    endorsed_by: str
    endorsed_on: date | None


@dataclass(frozen=True)
class VolunteerDetail:
    id: int
    display_name: str
    title: str
    first_name: str
    last_name: str
    badge_name: str
    status: str
    status_since: date | None
    started_on: date | None
    left_on: date | None
    email: str
    phone: str
    address: str
    postcode: str
    emergency_contact: str
    community: str
    faith: str  # empty unless the volunteer consented to it being recorded
    languages: str
    key_holder: bool
    max_shifts_per_month: int
    roles: tuple[str, ...]
    sites: tuple[str, ...]
    endorsements: tuple[EndorsementLine, ...]
    training: tuple[TrainingLine, ...]
    clearances: tuple[ClearanceLine, ...]
    notes: str


def count_volunteers(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Volunteer)) or 0)


def _site_names_by_volunteer(session: Session) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(volunteer_sites.c.volunteer_id, Site.name)
        .join(Site, Site.id == volunteer_sites.c.site_id)
        .order_by(Site.name)
    )
    for volunteer_id, site_name in rows:
        names[volunteer_id].append(site_name)
    return names


def list_volunteers(session: Session) -> list[VolunteerRow]:
    """Every volunteer, sorted by surname then forename: two queries, no ORM objects."""
    sites = _site_names_by_volunteer(session)
    rows = session.execute(
        select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.last_name,
            Volunteer.badge_name,
            Volunteer.status,
            Community.name,
            Volunteer.phone,
            Volunteer.email,
            Volunteer.key_holder,
        )
        .outerjoin(Community, Volunteer.community_id == Community.id)
        .order_by(Volunteer.last_name, Volunteer.first_name, Volunteer.id)
    )
    return [
        VolunteerRow(
            id=vid,
            display_name=display_name(first, badge or "", last),
            first_name=first,
            last_name=last,
            badge_name=badge or "",
            status=str(status),
            community=community or "",
            sites=", ".join(sites.get(vid, ())),
            phone=phone or "",
            email=email or "",
            key_holder=bool(key_holder),
        )
        for vid, first, last, badge, status, community, phone, email, key_holder in rows
    ]


def volunteer_detail(session: Session, volunteer_id: int) -> VolunteerDetail | None:
    """One volunteer's whole record, or None when there is no such volunteer."""
    volunteer = session.scalar(
        select(Volunteer)
        .where(Volunteer.id == volunteer_id)
        .options(
            selectinload(Volunteer.community),
            selectinload(Volunteer.faith),
            selectinload(Volunteer.roles),
            selectinload(Volunteer.sites),
            selectinload(Volunteer.endorsements).selectinload(Endorsement.community),
            selectinload(Volunteer.training).selectinload(TrainingRecord.course),
            selectinload(Volunteer.clearances).selectinload(Clearance.type),
            selectinload(Volunteer.clearances).selectinload(Clearance.site),
        )
    )
    if volunteer is None:
        return None
    v = volunteer
    emergency = ", ".join(
        part
        for part in (
            v.emergency_contact_name,
            v.emergency_contact_relation,
            v.emergency_contact_phone,
        )
        if part
    )
    training = sorted(
        (
            TrainingLine(t.course.name, str(t.status), t.completed_on, t.expires_on)
            for t in v.training
        ),
        key=lambda t: (t.course, t.completed_on or date.min),
    )
    clearances = sorted(
        (
            ClearanceLine(
                c.type.name,
                c.level,
                c.site.name if c.site else "",
                str(c.status),
                c.reference,
                c.granted_on,
                c.expires_on,
            )
            for c in v.clearances
        ),
        key=lambda c: (c.type, c.site, c.granted_on or date.min),
    )
    return VolunteerDetail(
        id=v.id,
        display_name=v.display_name,
        title=v.title,
        first_name=v.first_name,
        last_name=v.last_name,
        badge_name=v.badge_name,
        status=str(v.status),
        status_since=v.status_since,
        started_on=v.started_on,
        left_on=v.left_on,
        email=v.email,
        phone=v.phone,
        address=v.address,
        postcode=v.postcode,
        emergency_contact=emergency,
        community=v.community.name if v.community else "",
        faith=v.faith.name if v.faith and v.faith_consent else "",
        languages=v.languages,
        key_holder=v.key_holder,
        max_shifts_per_month=v.max_shifts_per_month,
        roles=tuple(sorted(r.name for r in v.roles)),
        sites=tuple(sorted(s.name for s in v.sites)),
        endorsements=tuple(
            EndorsementLine(e.community.name, e.endorsed_by, e.endorsed_on)
            for e in sorted(v.endorsements, key=lambda e: e.endorsed_on or date.min)
        ),
        training=tuple(training),
        clearances=tuple(clearances),
        notes=v.notes,
    )
