"""Reading the faith communities and partner organisations that send volunteers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Community, CommunityKind, Faith, Volunteer

KIND_LABELS = {
    CommunityKind.FAITH_COMMUNITY: "Faith community",
    CommunityKind.PARTNER: "Partner organisation",
}


@dataclass(frozen=True)
class CommunityRow:
    id: int
    name: str
    kind: str  # in words
    faith: str
    contact: str  # name, then phone or e-mail
    review_due_on: date | None
    overdue: bool
    volunteers: int


def list_communities(session: Session, today: date | None = None) -> list[CommunityRow]:
    """Every community with its number of volunteers (one grouped query), sorted by name."""
    today = today or date.today()
    counts = (
        select(Volunteer.community_id.label("cid"), func.count().label("n"))
        .where(Volunteer.community_id.is_not(None))
        .group_by(Volunteer.community_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Community.id,
            Community.name,
            Community.kind,
            Faith.name,
            Community.contact_name,
            Community.contact_phone,
            Community.contact_email,
            Community.review_due_on,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(Faith, Community.faith_id == Faith.id)
        .outerjoin(counts, counts.c.cid == Community.id)
        .order_by(Community.name)
    )
    result = []
    for cid, name, kind, faith, contact, phone, email, review, n in rows:
        contact_text = ", ".join(part for part in (contact, phone or email) if part)
        result.append(
            CommunityRow(
                id=cid,
                name=name,
                kind=KIND_LABELS.get(kind, str(kind)),
                faith=faith or "",
                contact=contact_text,
                review_due_on=review,
                overdue=review is not None and review < today,
                volunteers=int(n),
            )
        )
    return result
