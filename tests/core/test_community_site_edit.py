"""Writing communities, sites, closure days, posts, requirements and patterns (no Qt).

Runs on SQLite and, when configured, PostgreSQL: every write is audited and checked for
conflicts with someone else's save.
"""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from sqlalchemy import select

from volunteerdesk.core.models import (
    AuditEntry,
    ClearanceType,
    Community,
    Endorsement,
    Faith,
    Post,
    PostRequirement,
    RecurrencePattern,
    Shift,
    Site,
    SiteDay,
    SiteDayKind,
    SiteKind,
    TrainingCourse,
    Volunteer,
    volunteer_sites,
)
from volunteerdesk.core.scheduling.patterns import PatternChoice, RepeatKind, from_rule
from volunteerdesk.core.services import community_edit as ce
from volunteerdesk.core.services import site_edit as se
from volunteerdesk.core.services.communities import list_communities
from volunteerdesk.core.services.editing import ConflictError
from volunteerdesk.core.services.sites import (
    RequirementValue,
    SiteDayValue,
    load_post,
    load_site,
    new_post_values,
    new_site_values,
    post_choices,
    site_detail,
)
from volunteerdesk.core.validation import InvalidValue

TODAY = date(2026, 3, 11)


def _audit(db, entity: str) -> list[AuditEntry]:
    with db.uow() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        ).all()
        s.expunge_all()
        return list(rows)


def _community(db, **values) -> ce.SaveResult:
    record = {"name": "Westmoor Central Mosque", "kind": "faith_community", **values}
    with db.uow() as s:
        return ce.save_community(s, None, record, "alice")


# ----- communities -------------------------------------------------------------------------
def test_create_and_update_a_community_is_audited(database):
    with database.uow() as s:
        islam = s.scalar(select(Faith.id).where(Faith.name == "Islam (Sunni)"))
    made = _community(
        database,
        faith_id=islam,
        contact_phone="01632960300",
        agreement_signed_on=date(2023, 1, 3),
        review_due_on=date(2026, 1, 3),
    )
    assert made.changes.touches("communities")
    with database.uow() as s:
        record = ce.load_community(s, made.id)
    assert record.values["contact_phone"] == "01632 960300"  # tidied
    assert record.values["kind"] == "faith_community" and record.values["faith_id"] == islam
    with database.uow() as s:
        saved = ce.save_community(
            s,
            made.id,
            {"contact_name": "Imam Yusuf Qureshi"},
            "bob",
            version=record.version,
            opened=record.opened,
        )
    assert saved.version == record.version + 1
    create, update = _audit(database, "communities")
    assert (create.action.value, create.username) == ("create", "alice")
    assert (update.username, json.loads(update.changes)) == (
        "bob",
        {"contact_name": ["", "Imam Yusuf Qureshi"]},
    )
    with database.uow() as s:
        (row,) = list_communities(s, today=TODAY)
    assert row.overdue and ce.review_text(row.review_due_on, TODAY) == "Overdue since 03/01/2026"
    assert ce.review_text(date(2027, 1, 3), TODAY) == "Due 03/01/2027"


def test_a_stale_community_save_is_a_conflict(database):
    made = _community(database)
    with database.uow() as s:
        opened = ce.load_community(s, made.id)
    with database.uow() as s:
        ce.save_community(s, made.id, {"tradition": "Sunni"}, "bob", version=opened.version)
    with pytest.raises(ConflictError) as caught, database.uow() as s:
        ce.save_community(
            s,
            made.id,
            {"notes": "mine"},
            "alice",
            version=opened.version,
            opened=opened.opened,
        )
    assert [c.field for c in caught.value.theirs] == ["tradition"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "  "}, "Name is required"),
        ({"contact_email": "imam@"}, "is not an email address"),
        ({"contact_phone": "12345"}, "is not a UK phone number"),
        (
            {"agreement_signed_on": date(2026, 1, 3), "review_due_on": date(2025, 1, 3)},
            "review is due before the agreement was signed",
        ),
        ({"kind": "club"}, "is not a kind of community"),
    ],
)
def test_community_values_are_checked(database, values, message):
    with pytest.raises(InvalidValue, match=message), database.uow() as s:
        ce.save_community(s, None, {"name": "X", "kind": "partner", **values}, "alice")


def test_a_community_name_is_unique_whatever_the_case(database):
    _community(database)
    with pytest.raises(InvalidValue, match="already a community called"), database.uow() as s:
        ce.save_community(s, None, {"name": "westmoor central MOSQUE", "kind": "partner"}, "a")
    with database.uow() as s:
        assert ce.community_names(s) == {"westmoor central mosque"}


def test_review_order_is_checked_against_the_stored_signing_date(database):
    made = _community(database, agreement_signed_on=date(2025, 6, 1))
    with pytest.raises(InvalidValue, match="before the agreement"), database.uow() as s:
        ce.save_community(s, made.id, {"review_due_on": date(2025, 1, 1)}, "alice")


def _volunteer(s, community_id: int, site_id: int | None, last: str) -> int:
    v = Volunteer(first_name="Ann", last_name=last, community_id=community_id)
    s.add(v)
    s.flush()
    if site_id:
        s.execute(volunteer_sites.insert().values(volunteer_id=v.id, site_id=site_id))
    return v.id


def test_a_community_that_sends_volunteers_cannot_be_deleted(database):
    made = _community(database)
    with database.uow() as s:
        site = se.save_site(s, None, {"name": "HMP Westmoor", "kind": "prison"}, "alice")
        vid = _volunteer(s, made.id, site.id, "Baker")
        _volunteer(s, made.id, None, "Carter")
        s.add(Endorsement(volunteer_id=vid, community_id=made.id, endorsed_by="Imam Yusuf"))
    with database.uow() as s:
        people = ce.community_people(s, made.id)
    assert [(v.name, v.sites) for v in people.volunteers] == [
        ("Ann Baker", "HMP Westmoor"),
        ("Ann Carter", ""),
    ]
    assert people.volunteers[0].endorsed == "by Imam Yusuf"
    assert [(x.name, x.volunteers) for x in people.sites] == [("HMP Westmoor", 1)]
    refused = "2 volunteers come from it and it endorsed 1"
    with pytest.raises(ce.InUse, match=refused), database.uow() as s:
        ce.delete_community(s, made.id, None, "alice")


def test_deleting_an_unused_community_is_audited(database):
    made = _community(database)
    with database.uow() as s:
        changes = ce.delete_community(s, made.id, made.version, "alice")
    assert changes.touches("communities")
    with database.uow() as s:
        assert s.get(Community, made.id) is None
    assert _audit(database, "communities")[-1].action.value == "delete"


# ----- sites and their days ----------------------------------------------------------------
def test_times_are_hh_mm():
    assert se.parse_time("8:00") == time(8, 0)
    assert se.parse_time("13.30") == time(13, 30)
    assert se.parse_time("0745") == time(7, 45)
    assert se.parse_time(" ") is None
    for bad in ("25:00", "8", "noon", "12:75"):
        with pytest.raises(InvalidValue, match="is not a time"):
            se.parse_time(bad)
    assert se.format_time(time(8, 0)) == "08:00"


def test_new_courts_close_on_bank_holidays_prisons_do_not():
    assert new_site_values(SiteKind.MAGISTRATES_COURT)["closed_on_bank_holidays"] is True
    assert new_site_values(SiteKind.PRISON)["closed_on_bank_holidays"] is False
    assert new_post_values(SiteKind.CROWN_COURT)["kind"] == "desk"
    desk = new_post_values("magistrates_court")
    assert (desk["min_volunteers"], desk["max_volunteers"]) == (2, 2)


def _court(db) -> int:
    values = {
        "name": "Westmoor Magistrates' Court",
        "kind": "magistrates_court",
        "jurisdiction": "scotland",
        "morning_gate_time": "9:00",
        "security_contact_email": "court@justice.example.org",
        "postcode": "wm1 2ab",
        "closed_on_bank_holidays": True,
        "days": (SiteDayValue(date(2026, 5, 12), "closure", "Judicial training day"),),
    }
    with db.uow() as s:
        return se.save_site(s, None, values, "alice").id


def test_a_site_with_its_closure_days(database):
    site_id = _court(database)
    with database.uow() as s:
        opened = load_site(s, site_id)
    v = opened.values
    assert (v["kind"], v["jurisdiction"], v["postcode"]) == (
        "magistrates_court",
        "scotland",
        "WM1 2AB",
    )
    assert v["morning_gate_time"] == time(9, 0)
    assert v["days"] == (SiteDayValue(date(2026, 5, 12), "closure", "Judicial training day"),)
    (added,) = _audit(database, "site_days")
    assert added.summary == "Added closure day 12/05/2026 at Westmoor Magistrates' Court"


def test_site_days_are_saved_as_a_difference_and_move_the_version(database):
    site_id = _court(database)
    with database.uow() as s:
        mine = load_site(s, site_id)
    with database.uow() as s:  # someone else adds a day meanwhile, through their editor
        theirs = load_site(s, site_id)
        days = (*theirs.values["days"], SiteDayValue(date(2026, 6, 1), "closure", "Works"))
        se.save_site(
            s,
            site_id,
            {"days": days},
            "bob",
            version=theirs.version,
            days_before=theirs.values["days"],
        )
    wanted = (
        SiteDayValue(date(2026, 5, 12), "closure", "Judicial training day (all courts)"),
        SiteDayValue(date(2026, 5, 16), "exception", "Remand-only Saturday sitting"),
    )
    with pytest.raises(ConflictError), database.uow() as s:  # the days moved the version
        se.save_site(
            s,
            site_id,
            {"days": wanted},
            "alice",
            version=mine.version,
            days_before=mine.values["days"],
        )
    with database.uow() as s:  # re-applied on top of theirs: their day survives
        current = load_site(s, site_id)
        se.save_site(
            s,
            site_id,
            {"days": wanted},
            "alice",
            version=current.version,
            days_before=mine.values["days"],
        )
    with database.uow() as s:
        rows = s.scalars(select(SiteDay).where(SiteDay.site_id == site_id).order_by(SiteDay.day))
        assert [(d.day, d.kind, d.reason) for d in rows] == [
            (date(2026, 5, 12), SiteDayKind.CLOSURE, "Judicial training day (all courts)"),
            (date(2026, 5, 16), SiteDayKind.EXCEPTION, "Remand-only Saturday sitting"),
            (date(2026, 6, 1), SiteDayKind.CLOSURE, "Works"),
        ]
    with database.uow() as s:
        se.save_site(
            s, site_id, {"days": ()}, "alice", days_before=load_site(s, site_id).values["days"]
        )
    summaries = [e.summary for e in _audit(database, "site_days")]
    assert summaries[-1].startswith("Removed closure day 01/06/2026")
    with database.uow() as s:
        assert s.scalars(select(SiteDay)).all() == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"morning_gate_time": "8am"}, "is not a time"),
        ({"afternoon_gate_time": "24:00"}, "is not a time"),
        ({"kind": "castle"}, "is not a kind of site"),
        ({"security_contact_phone": "999"}, "not a UK phone"),
        ({"name": ""}, "Name is required"),
    ],
)
def test_site_values_are_checked(database, values, message):
    with pytest.raises(InvalidValue, match=message), database.uow() as s:
        se.save_site(s, None, {"name": "HMP X", "kind": "prison", **values}, "alice")


def test_a_site_with_posts_is_not_deleted(database):
    site_id = _court(database)
    _post(database, site_id)
    with pytest.raises(ce.InUse, match="it has 1 post"), database.uow() as s:
        se.delete_site(s, site_id, None, "alice")
    with database.uow() as s:
        empty = se.save_site(s, None, {"name": "HMP Empty", "kind": "prison"}, "alice")
    with database.uow() as s:
        se.delete_site(s, empty.id, empty.version, "alice")
        assert s.get(Site, empty.id) is None


# ----- posts -------------------------------------------------------------------------------
def _ids(db) -> tuple[int, int, int]:
    with db.uow() as s:
        hmpps = s.scalar(select(ClearanceType.id).where(ClearanceType.code == "HMPPS"))
        course = s.scalar(select(TrainingCourse.id).where(TrainingCourse.code == "SAFEGUARDING"))
        faith = s.scalar(select(Faith.id).where(Faith.name == "Roman Catholic"))
    return hmpps, course, faith


def _post(db, site_id: int) -> int:
    hmpps, course, faith = _ids(db)
    values = {
        **new_post_values(SiteKind.PRISON),
        "name": "Catholic Mass",
        "start_time": "09:00",
        "end_time": "10:30",
        "required_faith_id": faith,
        "requirements": (
            RequirementValue(hmpps, None, True),
            RequirementValue(None, course, False),
        ),
        "patterns": (PatternChoice(RepeatKind.MONTHLY, nth=1, weekday=6, start=date(2026, 1, 4)),),
    }
    with db.uow() as s:
        return se.save_post(s, None, values, "alice", site_id=site_id).id


def test_a_post_with_requirements_and_a_pattern(database):
    site_id = _court(database)
    post_id = _post(database, site_id)
    hmpps, course, faith = _ids(database)
    with database.uow() as s:
        opened = load_post(s, post_id)
        detail = site_detail(s, site_id)
    v = opened.values
    assert (v["start_time"], v["end_time"], v["required_faith_id"]) == (
        time(9),
        time(10, 30),
        faith,
    )
    assert v["requirements"] == (
        RequirementValue(None, course, False),
        RequirementValue(hmpps, None, True),
    )
    (pattern,) = v["patterns"]
    assert pattern.kind is RepeatKind.MONTHLY and pattern.id is not None
    (post,) = detail.posts
    assert post.requirements == ("HMPPS vetting", "Safeguarding (foundation) (advisory)")
    assert post.patterns == ("Monthly on the first Sunday (from 04 Jan 2026)",)
    assert post.repeats == ("First Sunday of the month (from 04/01/2026)",)
    entities = {e.entity for e in _audit(database, "post_requirements")} | {
        e.entity for e in _audit(database, "recurrence_patterns")
    }
    assert entities == {"post_requirements", "recurrence_patterns"}
    with database.uow() as s:
        stored = s.scalar(select(RecurrencePattern))
        assert (stored.rrule, stored.description) == (
            "FREQ=MONTHLY;BYDAY=1SU",
            "First Sunday of the month",
        )


def test_changing_requirements_and_patterns_only_moves_the_post_version(database):
    site_id = _court(database)
    post_id = _post(database, site_id)
    hmpps, course, _faith = _ids(database)
    with database.uow() as s:
        opened = load_post(s, post_id)
    old_pattern = opened.values["patterns"][0]
    fortnightly = from_rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", date(2026, 3, 3))
    values = {
        "requirements": (RequirementValue(hmpps, None, False),),  # advisory now; course gone
        "patterns": (
            PatternChoice(
                RepeatKind.BLOCK, (2,), sessions=6, start=date(2026, 4, 1), id=old_pattern.id
            ),
            fortnightly,
        ),
    }
    with database.uow() as s:
        saved = se.save_post(
            s,
            post_id,
            values,
            "bob",
            version=opened.version,
            opened=opened.opened,
            before=opened.values,
        )
    assert saved.version == opened.version + 1
    with database.uow() as s:
        reqs = s.scalars(select(PostRequirement).where(PostRequirement.post_id == post_id)).all()
        assert [(r.clearance_type_id, r.course_id, r.mandatory) for r in reqs] == [
            (hmpps, None, False)
        ]
        rules = s.scalars(select(RecurrencePattern.rrule).order_by(RecurrencePattern.id)).all()
        assert rules == ["FREQ=WEEKLY;COUNT=6;BYDAY=WE", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"]
    with pytest.raises(ConflictError), database.uow() as s:
        se.save_post(s, post_id, {"location": "Chapel"}, "alice", version=opened.version)
    actions = [(e.action.value, e.entity) for e in _audit(database, "recurrence_patterns")]
    assert actions == [
        ("create", "recurrence_patterns"),
        ("update", "recurrence_patterns"),
        ("create", "recurrence_patterns"),
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start_time": "10:00", "end_time": "09:30"}, "is not after the start"),
        ({"min_volunteers": 3, "max_volunteers": 2}, "fewer than the fewest"),
        ({"start_time": "9:70"}, "is not a time"),
        ({"end_time": ""}, "End time is required"),
        (
            {"patterns": (PatternChoice(RepeatKind.WEEKLY, (), start=date(2026, 1, 1)),)},
            "at least one day",
        ),
    ],
)
def test_post_values_are_checked(database, values, message):
    site_id = _court(database)
    record = {**new_post_values(SiteKind.PRISON), "name": "Chapel choir", **values}
    with pytest.raises(InvalidValue, match=message), database.uow() as s:
        se.save_post(s, None, record, "alice", site_id=site_id)


def test_post_names_are_unique_at_a_site(database):
    site_id = _court(database)
    _post(database, site_id)
    record = {**new_post_values(SiteKind.PRISON), "name": "catholic mass"}
    with pytest.raises(InvalidValue, match="already has a post called"), database.uow() as s:
        se.save_post(s, None, record, "alice", site_id=site_id)


def test_a_post_with_sessions_on_the_rota_is_not_deleted(database):
    site_id = _court(database)
    post_id = _post(database, site_id)
    with database.uow() as s:
        s.add(Shift(post_id=post_id, date=date(2026, 3, 1), start_time=time(9), end_time=time(10)))
    with pytest.raises(ce.InUse, match="1 session on the rota"), database.uow() as s:
        se.delete_post(s, post_id, None, "alice")
    with database.uow() as s:
        s.execute(Shift.__table__.delete())
    with database.uow() as s:
        se.delete_post(s, post_id, None, "alice")
        assert s.get(Post, post_id) is None


def test_post_choices_bring_the_calendar_and_catalogues(database):
    site_id = _court(database)
    with database.uow() as s:
        choices = post_choices(s, site_id)
    assert choices.site_is_court and choices.site_name == "Westmoor Magistrates' Court"
    assert choices.calendar.closed_reason(date(2026, 5, 12)) == "Judicial training day"
    assert choices.calendar.closed_reason(date(2026, 1, 2)) == "Bank holiday: New Year Holiday"
    assert any(name == "HMPPS vetting" for _id, name in choices.clearance_types)
    assert any(name == "Roman Catholic" for _id, name in choices.faiths)
