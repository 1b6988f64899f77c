"""``ComplianceData`` for some volunteers and the posts of some sites only.

Built exactly as ``ComplianceData.load`` builds it (the same states, the same words),
from the rows of those volunteers and posts: a large prison's month then reads a few
thousand compliance records instead of the whole organisation's ninety thousand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..compliance.engine import (
    CLEARANCE,
    TRAINING,
    ComplianceData,
    PostRules,
    VolunteerFacts,
)
from ..compliance.rules import APPLIED, BOOKED, IN_PROGRESS, Holding, Requirement
from ..models import (
    Clearance,
    ClearanceType,
    Community,
    Endorsement,
    Faith,
    Post,
    PostRequirement,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    volunteer_sites,
)
from ..settings import load_settings


def load_compliance(
    session: Session, volunteer_ids: list[int] | None, site_ids: Collection[int] | None = None
) -> ComplianceData:
    """``ComplianceData`` for some volunteers and the posts of some sites (None: all),
    built exactly as ``ComplianceData.load`` builds it, from fewer rows."""
    if volunteer_ids is None:
        return ComplianceData.load(session)
    ids = list(volunteer_ids)
    warning_days = load_settings(session).warning_days
    clearance_types = {
        tid: Requirement(CLEARANCE, tid, name, True, bool(per_site))
        for tid, name, per_site in session.execute(
            select(ClearanceType.id, ClearanceType.name, ClearanceType.per_establishment)
            .where(ClearanceType.active.is_(True))
            .order_by(ClearanceType.id)
        )
    }
    courses = {
        cid: Requirement(TRAINING, cid, name)
        for cid, name in session.execute(
            select(TrainingCourse.id, TrainingCourse.name)
            .where(TrainingCourse.active.is_(True))
            .order_by(TrainingCourse.id)
        )
    }
    holdings: dict[tuple[str, int, int], list[Holding]] = defaultdict(list)
    renewing: dict[str, set[int]] = {CLEARANCE: set(), TRAINING: set()}
    for row in session.execute(
        select(
            Clearance.id,
            Clearance.volunteer_id,
            Clearance.type_id,
            Clearance.site_id,
            Clearance.status,
            Clearance.granted_on,
            Clearance.applied_on,
            Clearance.expires_on,
            Clearance.renews_id,
        )
        .where(Clearance.volunteer_id.in_(ids))
        .order_by(Clearance.id)
    ):
        h = Holding(row[0], row[1], row[2], row[3], str(row[4]), *row[5:])
        holdings[(CLEARANCE, h.volunteer_id, h.type_id)].append(h)
        if h.renews_id and h.status in (APPLIED, IN_PROGRESS):
            renewing[CLEARANCE].add(h.renews_id)
    for row in session.execute(
        select(
            TrainingRecord.id,
            TrainingRecord.volunteer_id,
            TrainingRecord.course_id,
            TrainingRecord.status,
            TrainingRecord.completed_on,
            TrainingRecord.booked_for,
            TrainingRecord.expires_on,
            TrainingRecord.renews_id,
        )
        .where(TrainingRecord.volunteer_id.in_(ids))
        .order_by(TrainingRecord.id)
    ):
        h = Holding(row[0], row[1], row[2], None, str(row[3]), *row[4:])
        holdings[(TRAINING, h.volunteer_id, h.type_id)].append(h)
        if h.renews_id and h.status == BOOKED:
            renewing[TRAINING].add(h.renews_id)
    volunteers = _facts(session, ids)
    posts, site_requirements = _post_rules(session, site_ids, clearance_types, courses)
    return ComplianceData(
        warning_days,
        clearance_types,
        courses,
        dict(holdings),
        renewing,
        volunteers,
        posts,
        site_requirements,
    )


def _facts(session: Session, ids: list[int]) -> dict[int, VolunteerFacts]:
    sites: dict[int, set[int]] = defaultdict(set)
    for vid, sid in session.execute(
        select(volunteer_sites.c.volunteer_id, volunteer_sites.c.site_id).where(
            volunteer_sites.c.volunteer_id.in_(ids)
        )
    ):
        sites[vid].add(sid)
    endorsed: dict[int, set[int]] = defaultdict(set)
    for vid, fid in session.execute(
        select(Endorsement.volunteer_id, Community.faith_id)
        .join(Community, Community.id == Endorsement.community_id)
        .where(Community.faith_id.is_not(None), Endorsement.volunteer_id.in_(ids))
    ):
        endorsed[vid].add(fid)
    facts = {}
    for vid, first, badge, last, status, community, faith, consent, c_faith in session.execute(
        select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
            Volunteer.status,
            Volunteer.community_id,
            Volunteer.faith_id,
            Volunteer.faith_consent,
            Community.faith_id,
        )
        .outerjoin(Community, Community.id == Volunteer.community_id)
        .where(Volunteer.id.in_(ids))
    ):
        faiths = set(endorsed.get(vid, ()))
        if c_faith is not None:
            faiths.add(c_faith)
        facts[vid] = VolunteerFacts(
            vid,
            f"{badge or first} {last}".strip(),
            str(status),
            community,
            faith if consent else None,
            frozenset(faiths) if consent else frozenset(),
            frozenset(sites.get(vid, ())),
        )
    return facts


def _post_rules(session: Session, site_ids, clearance_types, courses):
    query = select(
        Post.id, Post.site_id, Post.name, Post.required_faith_id, Post.faith_mandatory
    ).where(Post.active.is_(True))
    if site_ids is not None:
        query = query.where(Post.site_id.in_(list(site_ids)))
    rows = session.execute(query).all()
    post_ids = [row[0] for row in rows]
    reqs: dict[int, list[Requirement]] = defaultdict(list)
    for post_id, ctype, course, mandatory in session.execute(
        select(
            PostRequirement.post_id,
            PostRequirement.clearance_type_id,
            PostRequirement.course_id,
            PostRequirement.mandatory,
        )
        .where(PostRequirement.post_id.in_(post_ids))
        .order_by(PostRequirement.id)
    ):
        base = clearance_types.get(ctype) if ctype else courses.get(course)
        if base is None:
            continue  # an inactive type no longer counts
        reqs[post_id].append(
            Requirement(base.kind, base.type_id, base.name, bool(mandatory), base.per_establishment)
        )
    faith_names = dict(session.execute(select(Faith.id, Faith.name)).all())
    posts, site_requirements = {}, defaultdict(set)
    for pid, sid, name, faith_id, faith_mandatory in rows:
        posts[pid] = PostRules(
            pid,
            sid,
            name,
            tuple(reqs.get(pid, ())),
            faith_id,
            faith_names.get(faith_id, ""),
            bool(faith_mandatory),
        )
        site_requirements[sid].update((r.kind, r.type_id) for r in reqs.get(pid, ()))
    return posts, dict(site_requirements)
