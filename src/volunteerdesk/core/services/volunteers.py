"""Reading volunteers: the list (one row each) and one volunteer's full record."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..access import Action, require_personal
from ..access import current as current_access
from ..fetching import fetch_all
from ..models import (
    Clearance,
    Community,
    Endorsement,
    Faith,
    Role,
    Site,
    TrainingRecord,
    Volunteer,
    volunteer_roles,
    volunteer_sites,
)
from ..settings import load_settings
from . import compliance as rules
from .volunteer_records import (  # noqa: F401 - read from here by the window and the tests
    ClearanceItem,
    ShiftItem,
    TrainingItem,
    upcoming_shifts,
    volunteer_clearances,
    volunteer_training,
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
    community_id: int | None = None
    site_ids: frozenset[int] = field(default_factory=frozenset)
    role_ids: frozenset[int] = field(default_factory=frozenset)
    left_on: date | None = None
    # Compliance, counted over current items only when asked for (``compliance_as_of``):
    items: int = 0
    expired: int = 0
    expiring: int = 0
    pending: int = 0

    @property
    def has_left(self) -> bool:
        return self.status == "left"

    @property
    def compliance_text(self) -> str:
        """The compliance state in words (never colour alone)."""
        if self.has_left:
            return ""
        if not self.items:
            return "Nothing recorded"
        parts = [
            f"{n} {word}"
            for n, word in (
                (self.expired, "expired"),
                (self.expiring, "expiring"),
                (self.pending, "pending"),
            )
            if n
        ]
        return ", ".join(parts) if parts else "All in date"


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class Choices:
    """What lists and editors offer: sites, communities, roles and faiths, sorted by name."""

    sites: tuple[Choice, ...]
    communities: tuple[Choice, ...]
    roles: tuple[Choice, ...]
    faiths: tuple[Choice, ...]
    warning_days: int


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
    rows = fetch_all(
        session,
        select(volunteer_sites.c.volunteer_id, Site.name)
        .join(Site, Site.id == volunteer_sites.c.site_id)
        .order_by(Site.name),
    )
    for volunteer_id, site_name in rows:
        names[volunteer_id].append(site_name)
    return names


def _ids_by_volunteer(session: Session, table, column) -> dict[int, frozenset[int]]:
    ids: dict[int, set[int]] = defaultdict(set)
    for volunteer_id, other in fetch_all(session, select(table.c.volunteer_id, column)):
        ids[volunteer_id].add(other)
    return {k: frozenset(v) for k, v in ids.items()}


def _compliance_counts(session: Session, today: date) -> dict[int, Counter]:
    """Per volunteer, how many current items are in each state (the compliance page's rules).

    Counted straight from two narrow queries: some 77,000 items on the national demo.
    """
    warning = load_settings(session).warning_days
    connection = session.connection()
    queries = (
        (
            "Training",
            select(TrainingRecord.volunteer_id, TrainingRecord.status, TrainingRecord.expires_on)
            .join(Volunteer, TrainingRecord.volunteer_id == Volunteer.id)
            .where(rules.current_volunteer(), rules.current_training()),
        ),
        (
            "Clearance",
            select(Clearance.volunteer_id, Clearance.status, Clearance.expires_on)
            .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
            .where(rules.current_volunteer(), rules.current_clearance()),
        ),
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    label = rules.state_label
    for kind, query in queries:
        for vid, status, expires in connection.execute(query):
            state = label(
                kind=kind, status=status, expires_on=expires, today=today, warning_days=warning
            )
            counts[vid][state] += 1
    return counts


def list_volunteers(
    session: Session, *, compliance_as_of: date | None = None
) -> list[VolunteerRow]:
    """Every volunteer, sorted by surname then forename: a few queries, no ORM objects.

    With ``compliance_as_of`` each row also counts its expired, expiring and pending items.
    A read-only user gets names without contact details.
    """
    viewer = current_access(session)
    private = viewer is not None and not viewer.can(Action.VIEW_PERSONAL)
    sites = _site_names_by_volunteer(session)
    site_ids = _ids_by_volunteer(session, volunteer_sites, volunteer_sites.c.site_id)
    role_ids = _ids_by_volunteer(session, volunteer_roles, volunteer_roles.c.role_id)
    counts = _compliance_counts(session, compliance_as_of) if compliance_as_of else {}
    rows = fetch_all(
        session,
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
            Volunteer.community_id,
            Volunteer.left_on,
        )
        .outerjoin(Community, Volunteer.community_id == Community.id)
        .order_by(Volunteer.last_name, Volunteer.first_name, Volunteer.id),
    )
    empty: frozenset[int] = frozenset()
    result = []
    for vid, first, last, badge, status, community, phone, email, keys, cid, left_on in rows:
        states = counts.get(vid, {})
        result.append(
            VolunteerRow(
                id=vid,
                display_name=display_name(first, badge or "", last),
                first_name=first,
                last_name=last,
                badge_name=badge or "",
                status=str(status),
                community=community or "",
                sites=", ".join(sites.get(vid, ())),
                phone="" if private else phone or "",
                email="" if private else email or "",
                key_holder=bool(keys),
                community_id=cid,
                site_ids=site_ids.get(vid, empty),
                role_ids=role_ids.get(vid, empty),
                left_on=left_on,
                items=sum(states.values()),
                expired=states.get(rules.EXPIRED, 0),
                expiring=states.get(rules.EXPIRING, 0),
                pending=states.get(rules.PENDING, 0),
            )
        )
    return result


def choices(session: Session) -> Choices:
    def pairs(model, *where) -> tuple[Choice, ...]:
        query = select(model.id, model.name).where(*where).order_by(model.name)
        return tuple(Choice(i, n) for i, n in session.execute(query))

    return Choices(
        sites=pairs(Site),
        communities=pairs(Community),
        roles=pairs(Role),
        faiths=pairs(Faith),
        warning_days=load_settings(session).warning_days,
    )


def volunteer_detail(session: Session, volunteer_id: int) -> VolunteerDetail | None:
    """One volunteer's whole record, or None when there is no such volunteer.

    Refused (``access.NotAllowed``) to read-only users."""
    require_personal(session)
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
    # A record replaced by a completed (or granted) renewal is history: left out here, as
    # on the editor's tabs unless asked for.
    from .clearance_records import replaced_clearances  # they import display_name from here
    from .training_records import replaced_training

    renewed = replaced_training(session, volunteer_id)
    regranted = replaced_clearances(session, volunteer_id)
    training = sorted(
        (
            TrainingLine(t.course.name, str(t.status), t.completed_on, t.expires_on)
            for t in v.training
            if t.id not in renewed
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
            if c.id not in regranted
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
