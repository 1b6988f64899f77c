"""Changing the rota by hand: one-off shifts, checked assignments with audited overrides,
moves and swaps, attendance and desk outcomes (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import select
from test_eligibility import DAY, Build

from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    DeskOutcome,
    Pathway,
    Post,
    PostKind,
    RecurrencePattern,
    Shift,
    ShiftStatus,
    Site,
    SiteKind,
    Volunteer,
)
from volunteerdesk.core.scheduling.eligibility import Rule
from volunteerdesk.core.scheduling.generate import generate_shifts
from volunteerdesk.core.services import editing, rota_edit
from volunteerdesk.core.services.rota_edit import RotaError, RuleBroken


@pytest.fixture
def rota(database):
    """A prison post with a shift on DAY, two cleared volunteers and one on holiday."""
    with database.uow() as s:
        b = Build(s)
        site = b.site()
        post = b.post(site, needs=("HMPPS",), high=2)
        other = b.post(site, "Wing visits", PostKind.VISITING, time(10), time(11), needs=("HMPPS",))
        ids = {
            "site": site.id,
            "post": post.id,
            "other_post": other.id,
            "shift": b.shift(post).id,
            "wing": b.shift(other).id,
            "later": b.shift(post, date(2027, 1, 19)).id,
        }
        for key, first in (("sian", "Siân"), ("tom", "Tomasz"), ("away", "Agnieszka")):
            ids[key] = b.volunteer(first, "Tester", [site]).id
        b.away(s.get(Volunteer, ids["away"]), DAY, DAY)
    return ids


def _audit(database, action=None):
    with database.uow() as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return [
            (e.action.value, e.entity, e.summary, json.loads(e.changes)) for e in s.scalars(query)
        ]


def _assignment(database, aid):
    with database.uow() as s:
        a = s.get(Assignment, aid)
        return (
            None
            if a is None
            else (a.shift_id, a.volunteer_id, a.status, a.version, a.override_reason)
        )


def test_assign_writes_an_audited_confirmed_assignment(database, rota):
    with database.uow() as s:
        result = rota_edit.assign(s, rota["shift"], rota["sian"], "alice")
    assert result.overridden == () and result.changes.touches("assignments", "shifts")
    shift_id, vid, status, _v, reason = _assignment(database, result.assignment_id)
    assert (shift_id, vid, status, reason) == (
        rota["shift"],
        rota["sian"],
        AssignmentStatus.CONFIRMED,
        "",
    )
    (entry,) = _audit(database, "create")
    assert entry[2] == "Assigned Siân Tester to Chapel administration on 12/01/2027 09:00–12:00"


def test_an_assignment_that_breaks_a_rule_is_refused_with_the_reasons(database, rota):
    with pytest.raises(RuleBroken) as caught, database.uow() as s:
        rota_edit.assign(s, rota["shift"], rota["away"], "alice")
    assert [r.rule for r in caught.value.reasons] == [Rule.UNAVAILABLE]
    assert "Agnieszka Tester cannot take Chapel administration on 12/01/2027" in str(caught.value)
    assert "Unavailable 12/01/2027 to 12/01/2027 (Holiday)" in str(caught.value)
    with database.uow() as s:
        assert s.scalars(select(Assignment)).all() == []


def test_an_override_is_stored_and_audited_as_an_override(database, rota):
    with database.uow() as s:
        result = rota_edit.assign(
            s, rota["shift"], rota["away"], "alice", override_reason="Back early from holiday"
        )
    assert result.overridden == ("Unavailable 12/01/2027 to 12/01/2027 (Holiday)",)
    assert _assignment(database, result.assignment_id)[4] == "Back early from holiday"
    (entry,) = _audit(database, "override")
    action, entity, summary, changes = entry
    assert entity == "assignments" and "despite: Unavailable 12/01/2027" in summary
    assert changes["override_reason"] == [None, "Back early from holiday"]
    assert changes["rules broken"][1].startswith("Unavailable")


def test_assign_refuses_duplicates_cancelled_and_full_sessions(database, rota):
    with database.uow() as s:
        rota_edit.assign(s, rota["shift"], rota["sian"], "alice")
    with pytest.raises(RotaError, match="already on this session"), database.uow() as s:
        rota_edit.assign(s, rota["shift"], rota["sian"], "alice")
    with database.uow() as s:
        rota_edit.assign(s, rota["shift"], rota["tom"], "alice")
    with database.uow() as s:
        extra = Build(s).volunteer("Zoë", "Williams", [s.get(Site, rota["site"])]).id
    with pytest.raises(RotaError, match="maximum of 2"), database.uow() as s:
        rota_edit.assign(s, rota["shift"], extra, "alice")
    with database.uow() as s:
        shift = s.get(Shift, rota["later"])
        rota_edit.cancel_shift(s, shift.id, shift.version, "alice", "Lockdown")
    with pytest.raises(RotaError, match="cancelled"), database.uow() as s:
        rota_edit.assign(s, rota["later"], extra, "alice")


def test_double_booking_is_refused(database, rota):
    with database.uow() as s:
        rota_edit.assign(s, rota["shift"], rota["sian"], "alice")
    with pytest.raises(RuleBroken) as caught, database.uow() as s:
        rota_edit.assign(s, rota["wing"], rota["sian"], "alice")
    assert [r.rule for r in caught.value.reasons] == [Rule.BOOKED]


def test_unassign_is_audited(database, rota):
    with database.uow() as s:
        aid = rota_edit.assign(s, rota["shift"], rota["sian"], "alice").assignment_id
    version = _assignment(database, aid)[3]
    with database.uow() as s:
        changes = rota_edit.unassign(s, aid, version, "bob")
    assert ("assignments", aid) in changes.ids
    assert _assignment(database, aid) is None
    assert _audit(database, "delete")[0][2].startswith("Removed Siân Tester from Chapel")


def test_move_is_checked_at_the_target_and_gives_up_the_old_booking(database, rota):
    with database.uow() as s:
        aid = rota_edit.assign(s, rota["shift"], rota["sian"], "alice").assignment_id
        other = rota_edit.assign(s, rota["later"], rota["tom"], "alice").assignment_id
    # 09:00-12:00 to the overlapping 10:00-11:00 the same day: the old place is given up.
    with database.uow() as s:
        rota_edit.move_assignment(s, aid, 1, rota["wing"], "alice")
    assert _assignment(database, aid)[0] == rota["wing"]
    # Agnieszka, on the 19th by override, cannot move to the 12th: she is away then.
    with database.uow() as s:
        away_aid = rota_edit.assign(
            s, rota["later"], rota["away"], "alice", override_reason="test"
        ).assignment_id
    with pytest.raises(RuleBroken), database.uow() as s:
        rota_edit.move_assignment(s, away_aid, 1, rota["shift"], "alice")
    assert _assignment(database, other)[0] == rota["later"]


def test_swap_rechecks_both_and_can_be_overridden(database, rota):
    with database.uow() as s:
        a = rota_edit.assign(s, rota["shift"], rota["sian"], "alice").assignment_id
        b = rota_edit.assign(s, rota["later"], rota["tom"], "alice").assignment_id
    with database.uow() as s:
        changes = rota_edit.swap_assignments(s, a, 1, b, 1, "alice")
    assert changes.touches("assignments")
    assert (
        _assignment(database, a)[0] == rota["later"]
        and _assignment(database, b)[0] == rota["shift"]
    )
    with database.uow() as s:
        Build(s).away(s.get(Volunteer, rota["sian"]), DAY, DAY)
    # Swapping back would put Siân on a day she is now away.
    with pytest.raises(RuleBroken) as caught, database.uow() as s:
        rota_edit.swap_assignments(s, a, 2, b, 2, "alice")
    assert caught.value.volunteer == "Siân Tester"
    with database.uow() as s:
        rota_edit.swap_assignments(s, a, 2, b, 2, "alice", override_reason="She asked to")
    assert _assignment(database, a)[0] == rota["shift"]
    assert _assignment(database, a)[4] == "She asked to"
    assert len(_audit(database, "override")) == 1


def test_lock_status_and_hours(database, rota):
    with database.uow() as s:
        aid = rota_edit.assign(s, rota["shift"], rota["sian"], "alice").assignment_id
    with database.uow() as s:
        rota_edit.set_locked(s, aid, 1, True, "alice")
        rota_edit.set_status(s, aid, 2, AssignmentStatus.ATTENDED, "alice")
    with database.uow() as s:
        a = s.get(Assignment, aid)
        assert a.locked and a.status == AssignmentStatus.ATTENDED and a.hours == Decimal("3.00")
    with database.uow() as s:
        rota_edit.set_status(s, aid, 3, AssignmentStatus.ATTENDED, "alice", hours=2.5)
        rota_edit.set_status(s, aid, 4, AssignmentStatus.NO_SHOW, "alice")
    with database.uow() as s:
        a = s.get(Assignment, aid)
        assert a.status == AssignmentStatus.NO_SHOW and a.hours is None
    with pytest.raises(editing.ConflictError), database.uow() as s:
        rota_edit.set_locked(s, aid, 1, False, "bob")  # a stale version


def test_taking_back_a_declined_place_is_checked(database, rota):
    with database.uow() as s:
        b = Build(s)
        declined = b.assign(
            s.get(Shift, rota["shift"]), s.get(Volunteer, rota["away"]), AssignmentStatus.DECLINED
        ).id
    with pytest.raises(RuleBroken), database.uow() as s:
        rota_edit.set_status(s, declined, 1, AssignmentStatus.CONFIRMED, "alice")
    with database.uow() as s:
        rota_edit.set_status(
            s,
            declined,
            1,
            AssignmentStatus.CONFIRMED,
            "alice",
            override_reason="Cut her trip short",
        )
    assert _assignment(database, declined)[2] == AssignmentStatus.CONFIRMED


def test_assigning_someone_who_declined_reuses_their_row(database, rota):
    with database.uow() as s:
        b = Build(s)
        declined = b.assign(
            s.get(Shift, rota["shift"]), s.get(Volunteer, rota["tom"]), AssignmentStatus.DECLINED
        ).id
    with database.uow() as s:
        result = rota_edit.assign(s, rota["shift"], rota["tom"], "alice")
    assert result.assignment_id == declined
    assert _assignment(database, declined)[2] == AssignmentStatus.CONFIRMED


def test_one_off_shifts_add_cancel_restore(database, rota):
    with database.uow() as s:
        result = rota_edit.add_shift(
            s, rota["post"], date(2027, 1, 16), time(10), time(12), "alice", notes="Saturday remand"
        )
    with database.uow() as s:
        shift = s.get(Shift, result.shift_id)
        assert shift.one_off and shift.notes == "Saturday remand" and shift.version == 1
    clash = "already has a session on 16/01/2027 at 10:00"
    with pytest.raises(RotaError, match=clash), database.uow() as s:
        rota_edit.add_shift(s, rota["post"], date(2027, 1, 16), time(10), time(11), "alice")
    with pytest.raises(RotaError, match="end after it starts"), database.uow() as s:
        rota_edit.add_shift(s, rota["post"], date(2027, 1, 16), time(14), time(13), "alice")
    with database.uow() as s:
        rota_edit.cancel_shift(s, result.shift_id, 1, "alice", "No list today")
    with database.uow() as s:
        shift = s.get(Shift, result.shift_id)
        assert shift.status == ShiftStatus.CANCELLED and shift.notes == "No list today"
        rota_edit.restore_shift(s, shift.id, shift.version, "alice")
    with database.uow() as s:
        assert s.get(Shift, result.shift_id).status == ShiftStatus.SCHEDULED
    summaries = [e[2] for e in _audit(database)]
    assert "Added a one-off session of Chapel administration on 16/01/2027 10:00" in summaries
    assert any(t.startswith("Cancelled Chapel administration on 16/01/2027") for t in summaries)


def test_moving_a_pattern_session_to_another_day_is_not_undone_by_generation(database, rota):
    with database.uow() as s:
        post = s.get(Post, rota["post"])
        s.add(
            RecurrencePattern(post=post, rrule="FREQ=WEEKLY;BYDAY=TU", start_date=date(2027, 1, 1))
        )
    with database.uow() as s:
        generate_shifts(s, date(2027, 1, 1), date(2027, 1, 31), username="alice")
    with database.uow() as s:
        tuesday = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 26))).one()
        Build(s).assign(tuesday, s.get(Volunteer, rota["sian"]))
        Build(s).away(s.get(Volunteer, rota["sian"]), date(2027, 1, 27), date(2027, 1, 27))
        result = rota_edit.move_shift(
            s, tuesday.id, tuesday.version, date(2027, 1, 27), time(9), time(12), "alice"
        )
    assert result.problems == ("Siân Tester: Unavailable 27/01/2027 to 27/01/2027 (Holiday)",)
    with database.uow() as s:
        old = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 26))).one()
        new = s.get(Shift, result.shift_id)
        assert old.status == ShiftStatus.CANCELLED and old.notes.startswith("Moved to 27/01/2027")
        assert new.one_off and [a.volunteer_id for a in new.assignments] == [rota["sian"]]
        generate_shifts(s, date(2027, 1, 1), date(2027, 1, 31), username="alice")
    with database.uow() as s:
        on_26th = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 26))).all()
        assert [sh.status for sh in on_26th] == [ShiftStatus.CANCELLED]


def test_moving_a_one_off_or_within_its_day_changes_it_in_place(database, rota):
    with database.uow() as s:
        shift = s.get(Shift, rota["shift"])
        result = rota_edit.move_shift(s, shift.id, 1, DAY, time(13), time(15), "alice")
    assert result.shift_id == rota["shift"] and result.problems == ()
    with database.uow() as s:
        assert s.get(Shift, rota["shift"]).start_time == time(13)
    with pytest.raises(editing.ConflictError), database.uow() as s:
        rota_edit.move_shift(s, rota["shift"], 1, DAY, time(14), time(15), "bob")


def test_desk_outcome_records_contacts_and_signposting(database):
    with database.uow() as s:
        b = Build(s)
        court = b.site("Westmoor Magistrates' Court", SiteKind.MAGISTRATES_COURT)
        desk = b.post(court, "Family support desk", PostKind.DESK, time(9, 30), time(13), needs=())
        shift_id = b.shift(desk).id
    with database.uow() as s:
        rota_edit.record_outcome(
            s, shift_id, 11, {Pathway.ACCOMMODATION: 3, "children_families": 4}, "alice",
            notes="Busy remand list",
        )  # fmt: skip
    with database.uow() as s:
        outcome = s.scalars(select(DeskOutcome)).one()
        assert outcome.contacts_seen == 11 and outcome.recorded_by == "alice"
        assert {p.pathway: p.count for p in outcome.signposts} == {
            Pathway.ACCOMMODATION: 3,
            Pathway.CHILDREN_FAMILIES: 4,
        }
        rota_edit.record_outcome(
            s, shift_id, 12, {Pathway.ACCOMMODATION: 2, Pathway.FINANCE_DEBT: 1}, "bob",
            expected_version=outcome.version,
        )  # fmt: skip
    with database.uow() as s:
        outcome = s.scalars(select(DeskOutcome)).one()
        assert {p.pathway: p.count for p in outcome.signposts} == {
            Pathway.ACCOMMODATION: 2,
            Pathway.FINANCE_DEBT: 1,
        }
    signposting = [e for e in _audit(database) if e[2].startswith("Signposting")]
    assert signposting[-1][3] == {
        "signposted: Accommodation": [3, 2],
        "signposted: Children and families": [4, 0],
        "signposted: Finance, benefit and debt": [0, 1],
    }
    with pytest.raises(RotaError), database.uow() as s:
        rota_edit.record_outcome(s, shift_id, -1, {}, "alice")


def test_changing_only_the_signposting_still_catches_a_stale_save(database):
    with database.uow() as s:
        b = Build(s)
        court = b.site("Westmoor Magistrates' Court", SiteKind.MAGISTRATES_COURT)
        desk = b.post(court, "Family support desk", PostKind.DESK, time(9, 30), time(13), needs=())
        shift_id = b.shift(desk).id
    with database.uow() as s:
        rota_edit.record_outcome(s, shift_id, 5, {Pathway.ACCOMMODATION: 1}, "alice")
    with database.uow() as s:
        opened = s.scalars(select(DeskOutcome)).one().version  # both open it now
    with database.uow() as s:  # the first saves a different tally only
        rota_edit.record_outcome(
            s, shift_id, 5, {Pathway.ACCOMMODATION: 2}, "alice", expected_version=opened
        )
    with pytest.raises(editing.ConflictError), database.uow() as s:
        rota_edit.record_outcome(
            s, shift_id, 5, {Pathway.ACCOMMODATION: 4}, "bob", expected_version=opened
        )
    with database.uow() as s:
        outcome = s.scalars(select(DeskOutcome)).one()
        assert {p.pathway: p.count for p in outcome.signposts} == {Pathway.ACCOMMODATION: 2}
