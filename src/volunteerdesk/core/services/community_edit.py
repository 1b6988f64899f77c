"""Creating, changing and deleting faith communities and partner organisations.

Every write goes through ``editing`` (optimistic locking and the audit log). The values
are checked here as well as in the editor, so the command line and imports get the same
rules: a name, a known kind, a real e-mail and UK phone, review due not before signing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import Community, CommunityKind, Endorsement, Faith, Site, Volunteer, volunteer_sites
from ..validation import InvalidValue, check_email, check_uk_phone, format_uk_date, require
from . import editing

COMMUNITY_FIELDS = (
    "name",
    "kind",
    "faith_id",
    "tradition",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "endorsing_authority",
    "agreement_signed_on",
    "review_due_on",
    "notes",
)
_TEXT_FIELDS = {"tradition", "contact_name", "address", "endorsing_authority", "notes"}


class InUse(Exception):
    """A record others depend on cannot be deleted; ``str(exc)`` says why, for the user."""


@dataclass(frozen=True)
class EditableRecord:
    """A record as an editor shows it: form values, version and the plain column values."""

    id: int
    version: int
    title: str
    values: dict[str, Any]
    opened: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SaveResult:
    id: int
    version: int
    changes: Changes
    opened: dict[str, Any] = field(default_factory=dict)
    title: str = ""


def review_text(review_due_on: date | None, today: date) -> str:
    """ "Overdue since 03/01/2026", "Due 03/01/2027" or "" when no review date is set."""
    if review_due_on is None:
        return ""
    if review_due_on < today:
        return f"Overdue since {format_uk_date(review_due_on)}"
    return f"Due {format_uk_date(review_due_on)}"


def check_dates_in_order(signed: date | None, review: date | None) -> None:
    if signed is not None and review is not None and review < signed:
        raise InvalidValue(
            f"The review is due before the agreement was signed ({format_uk_date(signed)})"
        )


def check_community(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values cleaned and checked; raises ``InvalidValue`` with a message for the user."""
    unknown = set(values) - set(COMMUNITY_FIELDS)
    if unknown:
        raise ValueError(f"not community fields: {sorted(unknown)}")
    clean = dict(values)
    if "name" in clean:
        clean["name"] = require(clean["name"] or "", "Name")
    if "kind" in clean:
        try:
            clean["kind"] = CommunityKind(clean["kind"])
        except ValueError:
            raise InvalidValue(f"{clean['kind']!r} is not a kind of community") from None
    if "contact_email" in clean:
        clean["contact_email"] = check_email(clean["contact_email"] or "")
    if "contact_phone" in clean:
        clean["contact_phone"] = check_uk_phone(clean["contact_phone"] or "")
    for key in _TEXT_FIELDS & set(clean):
        clean[key] = (clean[key] or "").strip()
    check_dates_in_order(clean.get("agreement_signed_on"), clean.get("review_due_on"))
    return clean


def community_names(session: Session, except_id: int | None = None) -> set[str]:
    """The names in use (case-folded), so an editor can refuse a duplicate as it is typed."""
    query = select(Community.name)
    if except_id is not None:
        query = query.where(Community.id != except_id)
    return {name.casefold() for name in session.scalars(query)}


def _check_unique(session: Session, name: str, except_id: int | None) -> None:
    if name.casefold() in community_names(session, except_id):
        raise InvalidValue(f"There is already a community called {name}")


def _form_values(c: Community) -> dict[str, Any]:
    values = {key: getattr(c, key) for key in COMMUNITY_FIELDS}
    values["kind"] = CommunityKind(c.kind).value
    return values


def load_community(session: Session, community_id: int) -> EditableRecord:
    c = session.get(Community, community_id)
    if c is None:
        raise editing.RecordGone("This community has been deleted by someone else.")
    return EditableRecord(c.id, c.version, c.name, _form_values(c), audit.column_values(c))


def new_community_values(kind: CommunityKind = CommunityKind.FAITH_COMMUNITY) -> dict[str, Any]:
    values: dict[str, Any] = {key: "" for key in COMMUNITY_FIELDS}
    values.update(
        kind=CommunityKind(kind).value,
        faith_id=None,
        agreement_signed_on=None,
        review_due_on=None,
    )
    return values


def save_community(
    session: Session,
    community_id: int | None,
    values: Mapping[str, Any],
    username: str,
    *,
    version: int | None = None,
    opened: Mapping[str, Any] | None = None,
) -> SaveResult:
    """Create (``community_id`` None: ``values`` are the whole record) or update (only
    the changed ``values``, refused with ``ConflictError`` if the record moved on)."""
    clean = check_community(values)
    if community_id is None:
        record = {**new_community_values(), **clean}
        record = check_community(record)
        _check_unique(session, record["name"], None)
        c = editing.create(
            session, Community, record, username, summary=f"Created community {record['name']}"
        )
    else:
        current = session.get(Community, community_id)
        if current is None:
            raise editing.RecordGone("This community has been deleted by someone else.")
        merged = {**_form_values(current), **clean}
        check_dates_in_order(merged["agreement_signed_on"], merged["review_due_on"])
        if "name" in clean:
            _check_unique(session, clean["name"], community_id)
        c = editing.update(
            session,
            Community,
            community_id,
            version if version is not None else current.version,
            clean,
            username,
            opened=opened,
            summary=f"Updated community {merged['name']}",
        )
    return SaveResult(
        c.id,
        c.version,
        Changes.of("communities", ids=(("communities", c.id),)),
        audit.column_values(c),
        c.name,
    )


def delete_community(
    session: Session, community_id: int, version: int | None, username: str
) -> Changes:
    """Delete a community no volunteer comes from or is endorsed by; else ``InUse``."""
    c = session.get(Community, community_id)
    if c is None:
        raise editing.RecordGone("This community has already been deleted.")
    sent = session.scalar(
        select(func.count()).select_from(Volunteer).where(Volunteer.community_id == community_id)
    )
    endorsed = session.scalar(
        select(func.count())
        .select_from(Endorsement)
        .where(Endorsement.community_id == community_id)
    )
    if sent or endorsed:
        parts = []
        if sent:
            parts.append(f"{sent} volunteer{'s' if sent != 1 else ''} come from it")
        if endorsed:
            parts.append(f"it endorsed {endorsed} volunteer{'s' if endorsed != 1 else ''}")
        raise InUse(
            f"{c.name} cannot be deleted: {' and '.join(parts)}. Move those volunteers to "
            "another community, or remove the endorsements, on their records first."
        )
    name = c.name
    editing.delete(
        session, Community, community_id, version, username, summary=f"Deleted community {name}"
    )
    return Changes.of("communities", ids=(("communities", community_id),))


@dataclass(frozen=True)
class SentVolunteer:
    id: int
    name: str
    status: str  # in words
    sites: str  # comma-separated
    endorsed: str  # "12/03/2024 by Fr Declan Murphy", or ""


@dataclass(frozen=True)
class SiteServed:
    name: str
    volunteers: int


@dataclass(frozen=True)
class CommunityPeople:
    volunteers: tuple[SentVolunteer, ...]
    sites: tuple[SiteServed, ...]


def community_people(session: Session, community_id: int) -> CommunityPeople:
    """The volunteers a community sends, and the sites those volunteers serve."""
    people = session.execute(
        select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
            Volunteer.status,
            Endorsement.endorsed_on,
            Endorsement.endorsed_by,
        )
        .outerjoin(
            Endorsement,
            (Endorsement.volunteer_id == Volunteer.id) & (Endorsement.community_id == community_id),
        )
        .where(Volunteer.community_id == community_id)
        .order_by(Volunteer.last_name, Volunteer.first_name)
    ).all()
    ids = [row[0] for row in people]
    sites_of: dict[int, list[str]] = defaultdict(list)
    if ids:
        for volunteer_id, site_name in session.execute(
            select(volunteer_sites.c.volunteer_id, Site.name)
            .join(Site, Site.id == volunteer_sites.c.site_id)
            .where(volunteer_sites.c.volunteer_id.in_(ids))
            .order_by(Site.name)
        ):
            sites_of[volunteer_id].append(site_name)
    volunteers = []
    served: dict[str, int] = defaultdict(int)
    for vid, first, badge, last, status, endorsed_on, endorsed_by in people:
        for site_name in sites_of[vid]:
            served[site_name] += 1
        endorsed = format_uk_date(endorsed_on)
        if endorsed_by:
            endorsed = f"{endorsed} by {endorsed_by}".strip()
        volunteers.append(
            SentVolunteer(
                id=vid,
                name=f"{badge or first} {last}".strip(),
                status=str(status.value if hasattr(status, "value") else status)
                .replace("_", " ")
                .capitalize(),
                sites=", ".join(sites_of[vid]),
                endorsed=endorsed,
            )
        )
    sites = tuple(
        SiteServed(name, n) for name, n in sorted(served.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return CommunityPeople(tuple(volunteers), sites)


def faith_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every faith, for a choice box."""
    return [
        (fid, name)
        for fid, name in session.execute(
            select(Faith.id, Faith.name).order_by(Faith.family, Faith.name)
        )
    ]
