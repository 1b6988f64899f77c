"""The engine over a hand-built database: verdicts for a post on a date, and the matrix."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from volunteerdesk.core.compliance.engine import ComplianceData
from volunteerdesk.core.compliance.rules import State
from volunteerdesk.core.models import (
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Endorsement,
    Faith,
    Post,
    PostKind,
    PostRequirement,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)

ON = date(2027, 1, 10)


def build(database):
    with database.uow() as s:
        hmpps = s.scalars(select(ClearanceType).filter_by(code="HMPPS")).one()
        keys = s.scalars(select(TrainingCourse).filter_by(code="KEYS")).one()
        catholic = s.scalars(select(Faith).filter_by(name="Roman Catholic")).one()
        parish = Community(name="St Anne's", kind=CommunityKind.FAITH_COMMUNITY, faith=catholic)
        site, other = (
            Site(name="HMP A", kind=SiteKind.PRISON),
            Site(name="HMP B", kind=SiteKind.PRISON),
        )
        mass = Post(
            site=site,
            name="Mass",
            kind=PostKind.SERVICE,
            start_time=time(9),
            end_time=time(10),
            required_faith=catholic,
        )
        s.add_all([parish, site, other, mass])
        s.flush()
        s.add_all(
            [
                PostRequirement(post=mass, clearance_type=hmpps, mandatory=True),
                PostRequirement(post=mass, course=keys, mandatory=False),
            ]
        )
        people = {}
        for key, consent in [("ok", True), ("elsewhere", True), ("no_consent", False)]:
            v = Volunteer(
                first_name=key,
                last_name="Test",
                status=VolunteerStatus.ACTIVE,
                faith_consent=consent,
                faith=catholic if consent else None,
                community=parish,
                sites=[site],
            )
            s.add(v)
            s.flush()
            s.add(Endorsement(volunteer=v, community=parish, endorsed_by="Fr Tom"))
            s.add(
                Clearance(
                    volunteer=v,
                    type=hmpps,
                    site=other if key == "elsewhere" else site,
                    status=ClearanceStatus.GRANTED,
                    granted_on=date(2025, 1, 1),
                    expires_on=date(2030, 1, 1),
                )
            )
            s.add(
                TrainingRecord(
                    volunteer=v,
                    course=keys,
                    completed_on=date(2026, 1, 1),
                    expires_on=date(2027, 1, 1),
                )
            )
            people[key] = v.id
        return people, mass.id


def test_verdicts_name_what_blocks_and_what_only_warns(database):
    people, mass = build(database)
    with database.uow() as s:
        data = ComplianceData.load(s)
    ok = data.verdict(people["ok"], mass, ON)
    assert ok.ok
    assert ok.warnings == ["Key and security training expired on 01/01/2027"]  # advisory: a warning
    elsewhere = data.verdict(people["elsewhere"], mass, ON)
    assert not elsewhere.ok
    assert elsewhere.blocking == ["No HMPPS vetting at this establishment"]
    no_consent = data.verdict(people["no_consent"], mass, ON)
    assert no_consent.blocking == ["Not endorsed for Roman Catholic"]


def test_matrix_shows_required_types_and_soonest_expiry(database):
    people, _mass = build(database)
    with database.uow() as s:
        data = ComplianceData.load(s)
    matrix = data.matrix(date(2026, 12, 15))
    names = [c.name for c in matrix.columns]
    row = next(r for r in matrix.rows if r.volunteer_id == people["ok"])
    keys = row.cells[names.index("Key and security training")]
    assert keys.state is State.EXPIRING
    assert row.soonest_expiry == date(2027, 1, 1)
    assert row.cells[names.index("Counter Terrorist Check")] is None  # not required, not held


def test_matrix_cells_are_what_the_engine_says_for_each_requirement(small_demo):
    """The matrix takes shortcuts for speed; every cell must still equal ``check``."""
    with small_demo.uow() as s:
        data = ComplianceData.load(s)
    compared = 0
    for on in (date(2026, 11, 23), date(2027, 1, 10), date(2027, 6, 1), date(2028, 3, 1)):
        compared += _compare_matrix(data, on)
    assert compared > 2000


def _compare_matrix(data, on) -> int:
    matrix = data.matrix(on, include_left=True)
    compared = 0
    for row in matrix.rows:
        for requirement, cell in zip(matrix.columns, row.cells, strict=True):
            if cell is None:
                continue
            expected = data.check(row.volunteer_id, requirement, on)
            assert (cell.state, cell.record_id, cell.expires_on, cell.reason) == (
                expected.state,
                expected.record_id,
                expected.expires_on,
                expected.reason,
            )
            compared += 1
    return compared
