"""The whole organisation's compliance in one pass.

``ComplianceData.load(session)`` reads every holding, post requirement and the facts about
each volunteer with a handful of Core queries (no ORM objects: the national demo has some
95,000 records); then ``check``, ``verdict`` and ``matrix`` answer from memory, so the
dashboard, the matrix, the rota and the CLI all give the same answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.orm import Session

from ..fetching import fetch_all
from ..memory import bulk_load
from ..models import (
    ClearanceType,
    Community,
    Endorsement,
    Faith,
    Post,
    PostRequirement,
    TrainingCourse,
    Volunteer,
    VolunteerStatus,
    volunteer_sites,
)
from ..settings import load_settings
from .rules import (
    APPLIED,
    BOOKED,
    IN_FORCE_STATUSES,
    IN_PROGRESS,
    SEVERITY,
    Check,
    Holding,
    Requirement,
    State,
    evaluate,
)

CLEARANCE, TRAINING = "clearance", "training"


@dataclass(frozen=True, slots=True)
class VolunteerFacts:
    volunteer_id: int
    name: str
    status: str
    community_id: int | None
    faith_id: int | None  # only when consented
    endorsed_faith_ids: frozenset[int]
    site_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class PostRules:
    post_id: int
    site_id: int
    name: str
    requirements: tuple[Requirement, ...]
    required_faith_id: int | None
    required_faith: str
    faith_mandatory: bool


@dataclass(frozen=True)
class Verdict:
    """Whether a volunteer may take a post on a date, and why not."""

    volunteer_id: int
    post_id: int
    on: date
    checks: tuple[Check, ...]
    faith_problem: str = ""
    faith_blocks: bool = False

    @property
    def ok(self) -> bool:
        return not self.blocking

    @property
    def blocking(self) -> list[str]:
        reasons = [c.reason for c in self.checks if c.blocks]
        if self.faith_problem and self.faith_blocks:
            reasons.append(self.faith_problem)
        return reasons

    @property
    def warnings(self) -> list[str]:
        reasons = [c.reason for c in self.checks if c.warns]
        if self.faith_problem and not self.faith_blocks:
            reasons.append(self.faith_problem)
        return reasons


@dataclass
class MatrixRow:
    volunteer_id: int
    name: str
    site_ids: frozenset[int]
    community_id: int | None
    cells: list[Check | None]  # None: not required and not held

    @property
    def soonest_expiry(self) -> date | None:
        dates = [c.expires_on for c in self.cells if c is not None and c.expires_on]
        return min(dates) if dates else None

    @property
    def worst(self) -> int:
        return min((SEVERITY[c.state] for c in self.cells if c is not None), default=99)


@dataclass
class Matrix:
    on: date
    columns: list[Requirement]
    rows: list[MatrixRow]


@dataclass
class ComplianceData:
    warning_days: int
    clearance_types: dict[int, Requirement]
    courses: dict[int, Requirement]
    holdings: dict[tuple[str, int, int], list[Holding]]
    renewals_in_progress: dict[str, set[int]]
    volunteers: dict[int, VolunteerFacts]
    posts: dict[int, PostRules]
    site_requirements: dict[int, set[tuple[str, int]]] = field(default_factory=dict)
    by_volunteer: dict[int, dict[tuple[str, int], list[Holding]]] = field(default_factory=dict)
    _required_cache: dict[frozenset[int], frozenset[tuple[str, int]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        if not self.by_volunteer:
            for (kind, vid, type_id), held in self.holdings.items():
                self.by_volunteer.setdefault(vid, {})[(kind, type_id)] = held

    # ----- loading --------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        session: Session,
        *,
        warning_days: int | None = None,
        volunteer_ids: Collection[int] | None = None,
        site_ids: Collection[int] | None = None,
    ) -> ComplianceData:
        """Load the whole organisation, or only some volunteers and the posts of some
        sites (a large prison's month then reads a few thousand records, not ~95,000)."""
        ids = None if volunteer_ids is None else list(volunteer_ids)
        sites = None if site_ids is None else list(site_ids)
        with bulk_load():
            return cls._load(session, warning_days, ids, sites)

    @classmethod
    def _load(
        cls,
        session: Session,
        warning_days: int | None,
        ids: list[int] | None,
        sites: list[int] | None,
    ) -> ComplianceData:
        con = session.connection()
        only = " WHERE volunteer_id IN :ids" if ids is not None else ""
        params = {"ids": ids} if ids is not None else {}
        if warning_days is None:
            warning_days = load_settings(session).warning_days
        clearance_types = {
            tid: Requirement(CLEARANCE, tid, name, True, bool(per_site))
            for tid, name, per_site in con.execute(
                select(ClearanceType.id, ClearanceType.name, ClearanceType.per_establishment)
                .where(ClearanceType.active.is_(True))
                .order_by(ClearanceType.id)
            )
        }
        courses = {
            cid: Requirement(TRAINING, cid, name)
            for cid, name in con.execute(
                select(TrainingCourse.id, TrainingCourse.name)
                .where(TrainingCourse.active.is_(True))
                .order_by(TrainingCourse.id)
            )
        }
        holdings: dict[tuple[str, int, int], list[Holding]] = defaultdict(list)
        renewing: dict[str, set[int]] = {CLEARANCE: set(), TRAINING: set()}
        # Plain SQL, fetched whole, without SQLAlchemy's per-value processing: these are
        # the two biggest tables, and this halves the load. SQLite hands dates back as
        # ISO text, PostgreSQL as dates; ``as_date`` takes either.
        as_date = _DateParser()
        for row in fetch_all(
            con,
            _raw(
                "SELECT id, volunteer_id, type_id, site_id, status, granted_on, applied_on, "
                f"expires_on, renews_id FROM clearances{only} ORDER BY id",
                ids,
            ),
            params,
        ):
            h = Holding(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                as_date(row[5]),
                as_date(row[6]),
                as_date(row[7]),
                row[8],
            )
            holdings[(CLEARANCE, h.volunteer_id, h.type_id)].append(h)
            if h.renews_id and h.status in (APPLIED, IN_PROGRESS):
                renewing[CLEARANCE].add(h.renews_id)
        for row in fetch_all(
            con,
            _raw(
                "SELECT id, volunteer_id, course_id, status, completed_on, booked_for, "
                f"expires_on, renews_id FROM training_records{only} ORDER BY id",
                ids,
            ),
            params,
        ):
            h = Holding(
                row[0],
                row[1],
                row[2],
                None,
                row[3],
                as_date(row[4]),
                as_date(row[5]),
                as_date(row[6]),
                row[7],
            )
            holdings[(TRAINING, h.volunteer_id, h.type_id)].append(h)
            if h.renews_id and h.status == BOOKED:
                renewing[TRAINING].add(h.renews_id)

        volunteers = cls._load_volunteers(session, ids)
        posts, site_requirements = cls._load_posts(session, clearance_types, courses, sites)
        return cls(
            warning_days,
            clearance_types,
            courses,
            dict(holdings),
            renewing,
            volunteers,
            posts,
            site_requirements,
        )

    @staticmethod
    def _load_volunteers(session: Session, ids: list[int] | None) -> dict[int, VolunteerFacts]:
        con = session.connection()
        sites: dict[int, set[int]] = defaultdict(set)
        query = select(volunteer_sites.c.volunteer_id, volunteer_sites.c.site_id)
        if ids is not None:
            query = query.where(volunteer_sites.c.volunteer_id.in_(ids))
        for vid, sid in con.execute(query):
            sites[vid].add(sid)
        endorsed: dict[int, set[int]] = defaultdict(set)
        query = (
            select(Endorsement.volunteer_id, Community.faith_id)
            .join(Community, Community.id == Endorsement.community_id)
            .where(Community.faith_id.is_not(None))
        )
        if ids is not None:
            query = query.where(Endorsement.volunteer_id.in_(ids))
        for vid, fid in con.execute(query):
            endorsed[vid].add(fid)
        facts = {}
        query = select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
            Volunteer.status,
            Volunteer.community_id,
            Volunteer.faith_id,
            Volunteer.faith_consent,
            Community.faith_id,
        ).outerjoin(Community, Community.id == Volunteer.community_id)
        if ids is not None:
            query = query.where(Volunteer.id.in_(ids))
        for vid, first, badge, last, status, community, faith, consent, c_faith in con.execute(
            query
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

    @staticmethod
    def _load_posts(session, clearance_types, courses, sites: list[int] | None):
        con = session.connection()
        post_query = select(
            Post.id, Post.site_id, Post.name, Post.required_faith_id, Post.faith_mandatory
        ).where(Post.active.is_(True))
        if sites is not None:
            post_query = post_query.where(Post.site_id.in_(sites))
        post_rows = con.execute(post_query).all()
        req_query = select(
            PostRequirement.post_id,
            PostRequirement.clearance_type_id,
            PostRequirement.course_id,
            PostRequirement.mandatory,
        ).order_by(PostRequirement.id)
        if sites is not None:
            req_query = req_query.where(PostRequirement.post_id.in_([r[0] for r in post_rows]))
        reqs: dict[int, list[Requirement]] = defaultdict(list)
        for post_id, ctype, course, mandatory in con.execute(req_query):
            base = clearance_types.get(ctype) if ctype else courses.get(course)
            if base is None:
                continue  # an inactive type no longer counts
            reqs[post_id].append(
                Requirement(
                    base.kind, base.type_id, base.name, bool(mandatory), base.per_establishment
                )
            )
        faith_names = dict(con.execute(select(Faith.id, Faith.name)).all())
        posts, site_requirements = {}, defaultdict(set)
        for pid, sid, name, faith_id, faith_mandatory in post_rows:
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

    # ----- questions ------------------------------------------------------------------
    def check(
        self, volunteer_id: int, requirement: Requirement, on: date, site_id: int | None = None
    ) -> Check:
        held = self.holdings.get((requirement.kind, volunteer_id, requirement.type_id), ())
        return evaluate(
            requirement,
            held,
            on,
            self.warning_days,
            site_id=site_id,
            renewals_in_progress=self.renewals_in_progress[requirement.kind],
        )

    def verdict(self, volunteer_id: int, post_id: int, on: date) -> Verdict:
        post = self.posts[post_id]
        checks = tuple(self.check(volunteer_id, r, on, post.site_id) for r in post.requirements)
        problem = ""
        if post.required_faith_id is not None:
            facts = self.volunteers.get(volunteer_id)
            if facts is None or not (
                facts.faith_id == post.required_faith_id
                or post.required_faith_id in facts.endorsed_faith_ids
            ):
                problem = f"Not endorsed for {post.required_faith or 'the faith this post needs'}"
        return Verdict(volunteer_id, post_id, on, checks, problem, post.faith_mandatory)

    def required_of(self, volunteer_id: int) -> set[tuple[str, int]]:
        """The requirement types of the posts at the volunteer's sites."""
        return set(self._required_at(self.volunteers[volunteer_id].site_ids))

    def _required_at(self, site_ids: frozenset[int]) -> frozenset[tuple[str, int]]:
        cached = self._required_cache.get(site_ids)
        if cached is None:
            needed: set[tuple[str, int]] = set()
            for site_id in site_ids:
                needed |= self.site_requirements.get(site_id, set())
            cached = self._required_cache[site_ids] = frozenset(needed)
        return cached

    def matrix(self, on: date, *, include_left: bool = False) -> Matrix:
        """Volunteers by requirement types; a cell for what their sites require or they hold.

        Garbage collection is paused while the ~90,000 cells are made: they hold no
        cycles, and full collections over the loaded records otherwise double the time.
        Two shortcuts give exactly what ``evaluate`` would (a test compares every cell):
        nothing on record shares one "missing" cell per column, and a single record in
        force on the day is judged inline, without the general pass.
        """
        columns = list(self.clearance_types.values()) + list(self.courses.values())
        index = {(req.kind, req.type_id): i for i, req in enumerate(columns)}
        warn_until = on + timedelta(days=self.warning_days)
        days, renewing, by_volunteer = (
            self.warning_days,
            self.renewals_in_progress,
            self.by_volunteer,
        )
        left = str(VolunteerStatus.LEFT)
        missing = [Check(req, State.MISSING, None, None, None, False) for req in columns]
        valid, expiring = State.VALID, State.EXPIRING
        rows = []
        with bulk_load():
            for vid, facts in self.volunteers.items():
                if not include_left and facts.status == left:
                    continue
                held = by_volunteer.get(vid, {})
                cells: list[Check | None] = [None] * len(columns)
                for key in self._required_at(facts.site_ids) | held.keys():
                    i = index.get(key)
                    if i is None:
                        continue  # an inactive type
                    got = held.get(key)
                    if not got:  # nothing on record: one shared, immutable "missing" cell
                        cells[i] = missing[i]
                        continue
                    req = columns[i]
                    if len(got) == 1:  # most cells: one record, in force on the day
                        h = got[0]
                        expires = h.expires_on
                        if (
                            h.status in IN_FORCE_STATUSES
                            and (h.start is None or h.start <= on)
                            and (expires is None or on <= expires)
                        ):
                            cells[i] = Check(
                                req,
                                expiring
                                if expires is not None and expires <= warn_until
                                else valid,
                                h.record_id,
                                expires,
                                None,
                                h.record_id in renewing[req.kind],
                            )
                            continue
                    cells[i] = evaluate(
                        req,
                        got,
                        on,
                        days,
                        renewals_in_progress=renewing[req.kind],
                        warn_until=warn_until,
                    )
                rows.append(MatrixRow(vid, facts.name, facts.site_ids, facts.community_id, cells))
        return Matrix(on, columns, rows)


def _raw(sql: str, ids: list[int] | None) -> TextClause:
    """Plain SQL whose ``:ids`` (if any) expands to a list of values."""
    statement = text(sql)
    return statement.bindparams(bindparam("ids", expanding=True)) if ids is not None else statement


class _DateParser:
    """ISO text or a date to a date, remembering each text it has seen (dates repeat)."""

    def __init__(self) -> None:
        self._seen: dict[str, date] = {}

    def __call__(self, value: str | date | None) -> date | None:
        if value is None or isinstance(value, date):
            return value
        parsed = self._seen.get(value)
        if parsed is None:
            parsed = self._seen[value] = date.fromisoformat(value[:10])
        return parsed
